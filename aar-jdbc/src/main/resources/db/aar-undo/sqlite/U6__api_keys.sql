-- Undoes V6: drops the API keys table (keys kept in the database stop working; aar serve issues a new first key).
DROP TABLE IF EXISTS api_keys;
