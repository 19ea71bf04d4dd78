import Testing
import RenumEgress

@Suite struct AddressCategoryTests {
    static let cases: [(String, AddressCategory)] = [
        // IPv4
        ("8.8.8.8", .global), ("1.1.1.1", .global), ("93.184.216.34", .global),
        ("127.0.0.1", .loopback), ("127.255.255.254", .loopback),
        ("10.0.0.1", .privateNetwork), ("10.255.255.255", .privateNetwork),
        ("172.16.0.1", .privateNetwork), ("172.31.255.255", .privateNetwork),
        ("172.15.255.255", .global), ("172.32.0.0", .global),
        ("192.168.1.1", .privateNetwork), ("192.169.0.1", .global),
        ("169.254.0.1", .linkLocal), ("169.254.169.254", .cloudMetadata), ("169.254.169.253", .linkLocal),
        ("100.64.0.1", .sharedAddressSpace), ("100.127.255.255", .sharedAddressSpace),
        ("100.63.255.255", .global), ("100.128.0.0", .global),
        ("0.0.0.0", .unspecified), ("0.1.2.3", .unspecified),
        ("224.0.0.1", .multicast), ("239.255.255.255", .multicast),
        ("255.255.255.255", .broadcast), ("240.0.0.1", .reserved),
        // IPv6
        ("::1", .loopback), ("::", .unspecified),
        ("2001:4860:4860::8888", .global), ("2606:4700::1111", .global),
        ("fc00::1", .privateNetwork), ("fd12:3456::1", .privateNetwork),
        ("fe80::1", .linkLocal), ("febf::1", .linkLocal), ("fec0::1", .privateNetwork),
        ("fd00:ec2::254", .cloudMetadata), ("ff02::1", .multicast), ("100::1", .reserved),
        // IPv4 inside IPv6
        ("::ffff:127.0.0.1", .loopback), ("::ffff:7f00:1", .loopback),
        ("::ffff:10.1.2.3", .privateNetwork), ("::ffff:169.254.169.254", .cloudMetadata),
        ("::ffff:0.0.0.0", .unspecified), ("::ffff:8.8.8.8", .global),
        ("::127.0.0.1", .loopback), ("::192.168.0.1", .privateNetwork),
        ("64:ff9b::a9fe:a9fe", .cloudMetadata), ("64:ff9b::7f00:1", .loopback), ("64:ff9b::808:808", .global),
        ("2002:7f00:1::", .loopback), ("2002:a9fe:a9fe::1", .cloudMetadata), ("2002:808:808::", .global),
    ]

    @Test(arguments: cases)
    func classifies(_ text: String, _ expected: AddressCategory) throws {
        let address = try #require(IPAddress(text))
        #expect(address.category == expected, "\(text)")
    }

    @Test func privateAllowedOnlyByServerSettingAndMetadataNever() throws {
        for text in ["127.0.0.1", "::1", "10.0.0.1", "192.168.0.1", "fd12::1", "fe80::1", "100.64.0.1", "::ffff:127.0.0.1"] {
            let address = try #require(IPAddress(text))
            #expect(!address.isAllowed(allowPrivateAddresses: false), "\(text)")
            #expect(address.isAllowed(allowPrivateAddresses: true), "\(text)")
        }
        for text in ["169.254.169.254", "fd00:ec2::254", "::ffff:169.254.169.254", "0.0.0.0", "::", "224.0.0.1",
                     "255.255.255.255", "ff02::1"] {
            let address = try #require(IPAddress(text))
            #expect(!address.isAllowed(allowPrivateAddresses: true), "\(text)")
        }
        #expect(try #require(IPAddress("8.8.8.8")).isAllowed(allowPrivateAddresses: false))
    }

    @Test func onlyStrictLiteralsParse() {
        for text in ["127.1", "0x7f.0.0.1", "2130706433", "017.0.0.1", "1.2.3.4.5", "[::1]", "fe80::1%eth0", "", "localhost"] {
            #expect(IPAddress(text) == nil, "\(text)")
        }
        #expect(IPAddress("::ffff:127.0.0.1")?.description == "::ffff:127.0.0.1")
        #expect(IPAddress("2001:DB8:0:0::1")?.description == "2001:db8::1")
    }
}
