package dev.parley.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class AddressKeyTest {

    @Test
    void ipv4AddressesCountOneByOne() {
        assertEquals("198.51.100.7", AddressKey.of("198.51.100.7"));
        assertNotEquals(AddressKey.of("198.51.100.7"), AddressKey.of("198.51.100.8"));
    }

    @Test
    void ipv6AddressesCountByTheirSlash64WhicheverWayTheyAreWritten() {
        String key = AddressKey.of("2001:db8::1");
        assertEquals("2001:db8:0:0::/64", key);
        assertEquals(key, AddressKey.of("2001:db8:0:0:ffff:ffff:ffff:fffe"), "any address of the /64");
        assertEquals(key, AddressKey.of("[2001:DB8::42]"), "bracketed, upper case");
        assertEquals(key, AddressKey.of("2001:db8::1%eth0"), "with a zone");
        assertNotEquals(key, AddressKey.of("2001:db8:0:1::1"), "the next /64 is another client");
    }

    @Test
    void anIpv4MappedAddressCountsAsItsIpv4AndNamesAreLeftAlone() {
        assertEquals("10.0.0.1", AddressKey.of("::ffff:10.0.0.1"));
        assertEquals("localhost", AddressKey.of("localhost"), "never looked up");
        assertEquals("", AddressKey.of(""));
        assertEquals("host:name", AddressKey.of("host:name"), "not an address literal");
    }
}
