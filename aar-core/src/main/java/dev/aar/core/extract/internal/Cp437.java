package dev.aar.core.extract.internal;

/**
 * Decodes IBM code page 437, the ZIP default for names without the UTF-8 flag (APPNOTE 4.4.4, appendix D).
 * Written out here because the JDK's IBM437 lives in the optional {@code jdk.charsets} module.
 */
final class Cp437 {

    private static final String HIGH =
            "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀"
            + "αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0";

    static {
        if (HIGH.length() != 128) {
            throw new ExceptionInInitializerError("CP437 table has " + HIGH.length() + " characters");
        }
    }

    private Cp437() {
    }

    /** Decodes bytes; the low half is ASCII (control bytes are refused before this is called). */
    static String decode(byte[] raw) {
        char[] out = new char[raw.length];
        for (int i = 0; i < raw.length; i++) {
            int b = raw[i] & 0xff;
            out[i] = b < 0x80 ? (char) b : HIGH.charAt(b - 0x80);
        }
        return new String(out);
    }
}
