package dev.aar.core.storage.internal;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingKey;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingParameters;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import com.google.crypto.tink.util.SecretBytes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The storage key as a Tink keyset: the configured 32 bytes are imported as the key material of an
 * AES256_GCM_HKDF streaming key (Tink derives a fresh AES key per stream from it and a random
 * salt), so the same key file or {@code AAR_STORAGE_KEY} opens the same blobs on every node and
 * after every restart. Also carries the key's public fingerprint, which tells a wrong key from
 * tampering.
 */
public final class SealingKey {

    /** The segment size of Tink's AES256_GCM_HKDF_1MB template. */
    public static final int TEMPLATE_SEGMENT_SIZE = 1 << 20;

    private static final byte[] KEY_ID_LABEL = "aar-storage-key-id".getBytes(StandardCharsets.US_ASCII);

    static {
        try {
            StreamingAeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final byte[] key;
    private final byte[] id;
    private final int segmentSize;
    private final StreamingAead primary;

    private SealingKey(byte[] key, int segmentSize) {
        this.key = key.clone();
        this.id = Arrays.copyOf(hmac(key, KEY_ID_LABEL), SealedFormat.KEY_ID_LENGTH);
        this.segmentSize = segmentSize;
        this.primary = streamingAead(segmentSize);
    }

    /** Imports a 32-byte key for streams of {@code segmentSize}-byte ciphertext segments. */
    public static SealingKey of(byte[] key, int segmentSize) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the storage key must be 32 bytes, was " + key.length);
        }
        return new SealingKey(key, segmentSize);
    }

    /** Returns the 8-byte public fingerprint of the key (the first bytes of HMAC-SHA256(key, label)). */
    public byte[] id() {
        return id.clone();
    }

    /** Returns the segment size new streams are written with. */
    public int segmentSize() {
        return segmentSize;
    }

    /** Returns the primitive for streams with {@code segmentSize}-byte segments (as their header says). */
    public StreamingAead streamingAead(int segmentSize) {
        if (segmentSize == this.segmentSize && primary != null) {
            return primary;
        }
        try {
            AesGcmHkdfStreamingParameters parameters = segmentSize == TEMPLATE_SEGMENT_SIZE
                    ? PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB
                    : AesGcmHkdfStreamingParameters.builder().setKeySizeBytes(32).setDerivedAesGcmKeySizeBytes(32)
                            .setHkdfHashType(AesGcmHkdfStreamingParameters.HashType.SHA256)
                            .setCiphertextSegmentSizeBytes(segmentSize).build();
            AesGcmHkdfStreamingKey streamingKey = AesGcmHkdfStreamingKey.create(parameters,
                    SecretBytes.copyFrom(key, InsecureSecretKeyAccess.get()));
            // a streaming ciphertext carries no key id, so the keyset's id only has to be fixed
            KeysetHandle keyset = KeysetHandle.newBuilder()
                    .addEntry(KeysetHandle.importKey(streamingKey).withFixedId(ByteBuffer.wrap(id).getInt()).makePrimary())
                    .build();
            return keyset.getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up Tink streaming AEAD for " + segmentSize + "-byte segments", e);
        }
    }

    /**
     * Returns Tink's AES256_GCM_HKDF segment-level primitive for {@code segmentSize}-byte segments (the one
     * behind {@link #streamingAead}), so a writer can encrypt each segment straight into its record.
     */
    public AesGcmHkdfStreaming segments(int segmentSize) {
        try {
            return new AesGcmHkdfStreaming(key, "HmacSha256", 32, segmentSize, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up Tink streaming AEAD for " + segmentSize + "-byte segments", e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    @Override
    public String toString() {
        return "SealingKey[AES256_GCM_HKDF, " + segmentSize + "-byte segments]"; // never the key
    }
}
