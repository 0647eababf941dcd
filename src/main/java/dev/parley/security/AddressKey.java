package dev.parley.security;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Whom a per-address limit counts: an IPv4 address as it is, an IPv6 address by its /64 prefix. One subscriber or
 * LAN gets a whole /64 and may use any address in it, so counting full IPv6 addresses would give one client as many
 * allowances as it cares to pick addresses.
 */
public final class AddressKey {

    /** Address literals only (hex digits, colons, dots, a zone): never a host name, which would be looked up. */
    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+(%[\\w.-]+)?|\\[[0-9a-fA-F:.]+(%[\\w.-]+)?]");

    private AddressKey() {
    }

    public static String of(String address) {
        if (address == null) {
            return ""; // a map key must not be null
        }
        if (address.indexOf(':') < 0 || !LITERAL.matcher(address).matches()) {
            return address; // IPv4, empty, or not an address literal
        }
        InetAddress parsed;
        try {
            parsed = InetAddress.getByName(address);
        } catch (UnknownHostException | SecurityException e) {
            return address;
        }
        if (parsed instanceof Inet4Address v4) {
            return v4.getHostAddress(); // an IPv4-mapped address (::ffff:10.0.0.1)
        }
        if (!(parsed instanceof Inet6Address)) {
            return address;
        }
        byte[] bytes = parsed.getAddress();
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
        }
        return prefix.append(":/64").toString();
    }
}
