#!/usr/bin/env python3
"""Writes the seed corpora of the sipladder fuzz targets.

    tests/fuzz/make-seeds.py [OUTDIR]     (default: tests/fuzz/corpus)

Every seed is written here, by hand, from the RFCs: SIP messages (RFC 3261,
RFC 4566/8866 bodies, RFC 2046 multipart), SDP bodies, and tiny packet
sequences built byte by byte below (Ethernet, Linux SLL/SLL2, BSD
loopback, IPv4/IPv6 with fragments, GRE, VXLAN, UDP, TCP, SCTP, WebSocket).
The output is deterministic: running the script again gives the same
bytes, so a diff after editing it shows exactly what changed.

  corpus/sip/      one SIP payload per file (datagram or stream bytes)
  corpus/sdp/      one session description per file
  corpus/capture/  pcap, pcapng and gzip-compressed pcap files
  corpus/frame/    fuzz-frame.c's layout: a mode byte (link type index,
                   flags), then records of u16 BE (time step << 12 | length)
                   followed by the frame bytes
  corpus/rtp/      fuzz-rtp.c's layout: a mode byte, then records of u16 BE
                   (flow << 14 | time step << 11 | length) and the UDP
                   payload (RTP, RTCP compounds, RFC 4733 events)
  corpus/hep/      HEPv1, HEPv2 and HEPv3 packets (zlib payloads too), one
                   after the other as a collector reads them over TCP
  corpus/pipeline/ whole calls as capture files (SIP with SDP, RTP both
                   ways, RTCP, DTMF), for the loader and the ladder
"""

import zlib

import gzip
import os
import struct
import sys

CRLF = "\r\n"


def crlf(text):
    """Lines joined with CRLF (the text is written with LF in this file)."""
    return text.replace("\n", CRLF).encode()


# ----------------------------------------------------------------- SDP

SDP_AUDIO = crlf("""v=0
o=alice 2890844526 2890844526 IN IP4 192.0.2.10
s=-
c=IN IP4 192.0.2.10
t=0 0
m=audio 49170 RTP/AVP 0 8 101
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-16
a=ptime:20
a=sendrecv
""")

SDP_AV_SRTP = crlf("""v=0
o=- 3724394400 3724394405 IN IP4 198.51.100.7
s=call
c=IN IP4 198.51.100.7
b=AS:2048
t=0 0
a=sendonly
m=audio 16384 RTP/SAVP 96 9 0
c=IN IP4 198.51.100.8
a=rtpmap:96 opus/48000/2
a=fmtp:96 useinbandfec=1;maxaveragebitrate=64000
a=rtpmap:9 G722/8000
a=ptime:20
a=maxptime:60
a=rtcp:16385 IN IP4 198.51.100.9
a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:32
a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj
m=video 16386 RTP/SAVP 97 98
a=rtpmap:97 H264/90000
a=fmtp:97 profile-level-id=42e01f;packetization-mode=1
a=rtpmap:98 VP8/90000
a=rtcp-mux
a=recvonly
""")

SDP_IPV6_MULTICAST = crlf("""v=0
o=bob 1 2 IN IP6 2001:db8::1
s=multicast and IPv6
c=IN IP4 233.252.0.1/127/3
t=3034423619 3042462419
m=audio 5004/2 RTP/AVP 0 3 4 18
m=video 5006 RTP/AVP 31 34
c=IN IP6 ff15::101/3
a=rtcp:5007
m=audio 0 RTP/AVP 0
""")

SDP_T38_REJECTED = crlf("""v=0
o=- 7 8 IN IP4 fax.example.com
s=T.38
c=IN IP4 fax.example.com
t=0 0
a=inactive
m=image 6000 udptl t38
a=T38FaxVersion:0
a=T38MaxBitRate:14400
a=T38FaxRateManagement:transferredTCF
m=audio 0 RTP/AVP 0
m=application 9 UDP/DTLS/SCTP webrtc-datachannel
a=sctp-port:5000
""")

# LF only, a blank line, lines that are not "x=", an unterminated last line
SDP_SLOPPY = (b"v=0\no=- 0 0 IN IP4 10.0.0.1\ns=\n\nthis is not sdp\n"
              b"c=IN IP4 10.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP 0 96\n"
              b"a=rtpmap:96\na=ptime:abc\na=rtcp:99999\n"
              b"z=0 0\nm=audio 4002 RTP/AVP 18\na=fmtp:18 annexb=no")

SDP_WEBRTC = crlf("""v=0
o=- 4611731400430051336 2 IN IP4 127.0.0.1
s=-
t=0 0
a=group:BUNDLE 0
a=msid-semantic: WMS
m=audio 9 UDP/TLS/RTP/SAVPF 111 63 103 0 8 126
c=IN IP4 0.0.0.0
a=rtcp:9 IN IP4 0.0.0.0
a=ice-ufrag:4ZcD
a=ice-pwd:2/1muCWoOi3uLifh0NuRHlHg
a=fingerprint:sha-256 75:74:5A:A6:A4:E5:52:F4:A7:67:4C:01:C7:EE:91:3F:21:3D:A2:E3:53:7B:6F:30:86:F2:30:AA:65:FB:04:24
a=setup:actpass
a=mid:0
a=sendrecv
a=rtcp-mux
a=rtpmap:111 opus/48000/2
a=rtcp-fb:111 transport-cc
a=fmtp:111 minptime=10;useinbandfec=1
a=rtpmap:63 red/48000/2
a=rtpmap:126 telephone-event/8000
""")


def sdp_many_media(n):
    """More m= lines than SDP_MAX_MEDIA (16): a LIMIT outcome."""
    head = "v=0\no=- 1 1 IN IP4 10.1.1.1\ns=-\nc=IN IP4 10.1.1.1\nt=0 0\n"
    media = "".join("m=audio %d RTP/AVP 0\na=ptime:%d\n" % (20000 + 2 * i, 10 + i)
                    for i in range(n))
    return crlf(head + media)


def sdp_many_formats(n):
    """More formats than SDP_MAX_FORMATS (32) on one m= line."""
    fmts = " ".join(str(96 + i) for i in range(n))
    maps = "".join("a=rtpmap:%d X%d/8000\n" % (96 + i, i) for i in range(n))
    return crlf("v=0\no=- 1 1 IN IP4 10.1.1.1\ns=-\nc=IN IP4 10.1.1.1\nt=0 0\n"
                "m=audio 3000 RTP/AVP %s\n%s" % (fmts, maps))


# ----------------------------------------------------------------- SIP

def sip(head, body=b"", content_length=True):
    """A message: @head lines (LF in this file) with CRLF, then the body."""
    text = head.strip("\n") + "\n"
    if content_length:
        text += "Content-Length: %d\n" % len(body)
    return crlf(text + "\n") + body


SIP_INVITE = sip("""INVITE sip:bob@biloxi.example.com SIP/2.0
Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds;rport
Max-Forwards: 70
Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>
To: Bob <sip:bob@biloxi.example.com>
From: Alice <sip:alice@atlanta.example.com>;tag=1928301774
Call-ID: a84b4c76e66710@pc33.atlanta.example.com
CSeq: 314159 INVITE
Contact: <sip:alice@pc33.atlanta.example.com;transport=udp>
Supported: timer, 100rel
Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, PRACK
Session-Expires: 1800;refresher=uac
User-Agent: seed/1.0
Content-Type: application/sdp""", SDP_AUDIO)

SIP_200_OK = sip("""SIP/2.0 200 OK
Via: SIP/2.0/UDP server10.biloxi.example.com;branch=z9hG4bKnashds8;received=192.0.2.3, SIP/2.0/UDP bigbox3.site3.atlanta.example.com;branch=z9hG4bK77ef4c2312983.1;received=192.0.2.2
Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds ;received=192.0.2.1;rport=5066
Record-Route: <sip:server10.biloxi.example.com;lr>, <sip:bigbox3.site3.atlanta.example.com;lr>
To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf
From: Alice <sip:alice@atlanta.example.com>;tag=1928301774
Call-ID: a84b4c76e66710@pc33.atlanta.example.com
CSeq: 314159 INVITE
Contact: <sip:bob@192.0.2.4>
Server: seed-uas
Content-Type: application/sdp""", SDP_AV_SRTP)

# compact forms (RFC 3261 section 7.3.3), LF line ends, a folded header
SIP_REGISTER_COMPACT = ("REGISTER sips:ss2.biloxi.example.com SIP/2.0\n"
                        "v: SIP/2.0/TLS client.biloxi.example.com:5061;branch=z9hG4bKnashd92\n"
                        "f: Bob <sips:bob@biloxi.example.com>;tag=ja743ks76zlflH\n"
                        "t: Bob <sips:bob@biloxi.example.com>\n"
                        "i: 1j9FpLxk3uxtm8tn@biloxi.example.com\n"
                        "CSeq: 2 REGISTER\n"
                        "m: <sips:bob@client.biloxi.example.com>;expires=3600,\n"
                        "   <sip:bob@192.0.2.99:5070;transport=tcp>;q=0.5\n"
                        "Authorization: Digest username=\"bob\", realm=\"atlanta.example.com\",\n"
                        "\tnonce=\"ea9c8e88df84f1cec4341ae6cbe5a359\", opaque=\"\",\n"
                        "\turi=\"sips:ss2.biloxi.example.com\", response=\"dfe56131d1958046689d83306477ecc\"\n"
                        "l: 0\n\n").encode()

MULTIPART_BODY = crlf("""preamble is ignored
--outer42
Content-Type: multipart/alternative; boundary="inner 7"

--inner 7
Content-Type: text/plain

no session here
--inner 7
Content-Type: application/sdp
Content-Disposition: session

""") + SDP_AUDIO + crlf("""--inner 7--
--outer42
Content-Type: application/isup; version=itu-t92+
Content-Disposition: signal; handling=optional

""") + b"\x01\x00\x49\x00\x00\x03\x02\x00\x07\x04\x10\x00\x33\x63\x21\x43\x00\x00" + crlf("""
--outer42--
""")

SIP_INVITE_MULTIPART = sip("""INVITE sip:+15551234567@gw.example.net;user=phone SIP/2.0
Via: SIP/2.0/TCP proxy.example.net:5060;branch=z9hG4bK-multi-1
Max-Forwards: 69
From: "Anonymous" <sip:anonymous@anonymous.invalid>;tag=9fxced76sl
To: <tel:+1-555-123-4567;phone-context=example.net>
Call-ID: 3848276298220188511@proxy.example.net
CSeq: 1 INVITE
P-Asserted-Identity: "Carol \\"C\\" Smith" <sip:carol@example.net>, <tel:+15557654321>
Privacy: id
Contact: <sip:proxy.example.net:5060;transport=tcp>
MIME-Version: 1.0
Content-Type: multipart/mixed;boundary=outer42""", MULTIPART_BODY)

SIP_OPTIONS_IPV6 = sip("""OPTIONS sip:[2001:db8::10]:5070;transport=udp SIP/2.0
Via: SIP/2.0/UDP [2001:db8::9:1]:6050;branch=z9hG4bKas3-111;received=2001:db8::9:255
Via: SIP/2.0 / TCP [2001:db8::1]  ;  branch=z9hG4bK-lws
Max-Forwards: 70
From: "Display \\\\ with escapes" <sips:user;par=u%40example.net@example.com:5061;maddr=[2001:db8::1]?Subject=x&Priority=urgent>;tag=abc
To: sip:[2001:db8::10]:5070
Call-ID: SSG9559905523997077@hlfe-1
CSeq: 922 OPTIONS
Contact: "Mr. Watson" <sip:watson@worcester.bell-telephone.com>;q=0.7;expires=3600, "Mr. Watson" <mailto:watson@bell-telephone.com>;q=0.1
Accept: application/sdp, application/pidf+xml
Date: Thu, 21 Feb 2002 13:02:03 GMT""")

SIP_ACK = sip("""ACK sip:bob@192.0.2.4 SIP/2.0
Via: SIP/2.0/TCP pc33.atlanta.example.com;branch=z9hG4bKnashds9
Max-Forwards: 70
To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf
From: Alice <sip:alice@atlanta.example.com>;tag=1928301774
Call-ID: a84b4c76e66710@pc33.atlanta.example.com
CSeq: 314159 ACK""")

SIP_BYE = sip("""BYE sip:alice@pc33.atlanta.example.com SIP/2.0
Via: SIP/2.0/TCP 192.0.2.4;branch=z9hG4bKnashds10
Max-Forwards: 70
From: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf
To: Alice <sip:alice@atlanta.example.com>;tag=1928301774
Call-ID: a84b4c76e66710@pc33.atlanta.example.com
CSeq: 231 BYE
Reason: Q.850;cause=16;text="Normal call clearing\"""")

SIP_401 = sip("""SIP/2.0 401 Unauthorized
Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK-401;rport=5060;received=203.0.113.5
From: <sip:100@pbx.example.org>;tag=reg1
To: <sip:100@pbx.example.org>;tag=as6d1
Call-ID: reg-1@10.0.0.5
CSeq: 1 REGISTER
WWW-Authenticate: Digest algorithm=MD5, realm="pbx, inc.", nonce="7a1b2c3d"
Warning: 399 pbx.example.org "retry, with credentials"
Retry-After: 5 (busy);duration=3600""")

SIP_NOTIFY_NO_CL = sip("""NOTIFY sip:watcher@10.0.0.8:5062 SIP/2.0
Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-n1
From: <sip:presentity@example.org>;tag=p1
To: <sip:watcher@example.org>;tag=w1
Call-ID: sub-77@10.0.0.8
CSeq: 5 NOTIFY
Event: dialog;id=1
Subscription-State: active;expires=600
Content-Type: application/dialog-info+xml""", b"", content_length=False) + \
    b"<?xml version=\"1.0\"?>\r\n<dialog-info version=\"3\" state=\"full\"/>\r\n"

SIP_BROKEN = crlf("""INVITE sip:bob@example.com SIP/2.0
Via: SIP/2.0/UDP host;branch=z9hG4bK1
Via: SIP/2.0/
From: <sip:alice@example.com>;tag=1;;
From: <sip:mallory@example.com>;tag=2
To: sip:bob@example.com?Subject=bad
Call-ID:
CSeq: 99999999999 INVITE
CSeq: 1 BYE
Max-Forwards: 256
Content-Length: 5
Content-Length: 12
this line has no colon
Contact: <sip:a@b
Date: yesterday

short""")

SIP_RESPONSE_BAD = (b"SIP/2.0 9999 Odd\r\nVia: SIP/2.0/UDP x\r\n\r\n"
                    b"SIP/3.0 200\r\ncseq: 1 INFO\r\n\r\n")


def stream_two_messages():
    """Keep-alive CRLFs, then ACK and BYE back to back on one stream."""
    return b"\r\n\r\n" + SIP_ACK + SIP_BYE


# ------------------------------------------------------------- packets

def csum16(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ip4(text):
    return bytes(int(x) for x in text.split("."))


def ip6(text):
    import ipaddress
    return ipaddress.IPv6Address(text).packed


def ipv4(src, dst, proto, payload, ident=1, frag_off=0, more=False, ttl=64):
    flags = (0x2000 if more else 0) | (frag_off // 8)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, flags, ttl,
                      proto, 0, ip4(src), ip4(dst))
    hdr = hdr[:10] + struct.pack("!H", csum16(hdr)) + hdr[12:]
    return hdr + payload


def ipv4_fragments(src, dst, proto, payload, ident, size):
    """The datagram cut into fragments of @size bytes (a multiple of 8)."""
    out = []
    for off in range(0, len(payload), size):
        part = payload[off:off + size]
        out.append(ipv4(src, dst, proto, part, ident, off, off + size < len(payload)))
    return out


def ipv6(src, dst, nh, payload, hlim=64):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nh, hlim, ip6(src),
                       ip6(dst)) + payload


def ipv6_fragments(src, dst, nh, payload, ident, size):
    out = []
    for off in range(0, len(payload), size):
        part = payload[off:off + size]
        more = 1 if off + size < len(payload) else 0
        frag = struct.pack("!BBHI", nh, 0, off | more, ident)
        out.append(ipv6(src, dst, 44, frag + part))
    return out


def udp(sport, dport, payload):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


TCP_FIN, TCP_SYN, TCP_RST, TCP_PSH, TCP_ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def tcp(sport, dport, seq, ack, flags, payload=b""):
    return struct.pack("!HHIIHHHH", sport, dport, seq & 0xFFFFFFFF, ack, (5 << 12) | flags,
                       65535, 0, 0) + payload


def sctp_chunk(ctype, flags, value):
    chunk = struct.pack("!BBH", ctype, flags, 4 + len(value)) + value
    return chunk + b"\0" * ((4 - len(chunk) % 4) % 4)


def sctp_data(tsn, sid, ssn, ppid, data, begin=True, end=True):
    flags = (0x02 if begin else 0) | (0x01 if end else 0)
    return sctp_chunk(0, flags, struct.pack("!IHHI", tsn, sid, ssn, ppid) + data)


def sctp(sport, dport, chunks, vtag=0x1234):
    return struct.pack("!HHII", sport, dport, vtag, 0) + b"".join(chunks)


def gre(proto, payload, key=None):
    flags = 0x2000 if key is not None else 0
    hdr = struct.pack("!HH", flags, proto)
    if key is not None:
        hdr += struct.pack("!I", key)
    return hdr + payload


def vxlan(vni, inner_frame):
    return struct.pack("!II", 0x08000000, vni << 8) + inner_frame


MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("020000000002")


def eth(payload, ethertype=0x0800, vlans=()):
    hdr = MAC_B + MAC_A
    for tpid, vid in vlans:
        hdr += struct.pack("!HH", tpid, vid)
    return hdr + struct.pack("!H", ethertype) + payload


def sll(payload, proto=0x0800):
    """Linux cooked capture v1: type, ARPHRD, addr len, addr(8), protocol."""
    return struct.pack("!HHH8sH", 0, 1, 6, MAC_A + b"\0\0", proto) + payload


def sll2(payload, proto=0x0800):
    """v2: protocol, reserved, ifindex, ARPHRD, type, addr len, addr(8)."""
    return struct.pack("!HHIHBB8s", proto, 0, 2, 1, 4, 6, MAC_A + b"\0\0") + payload


def null_lo(payload, family=2):
    return struct.pack("<I", family) + payload  # host order (little-endian here)


def loop_lo(payload, family=2):
    return struct.pack("!I", family) + payload


def ws_frame(payload, opcode=1, mask=None):
    b0 = 0x80 | opcode
    n = len(payload)
    if n < 126:
        hdr = struct.pack("!BB", b0, (0x80 if mask else 0) | n)
    elif n < 65536:
        hdr = struct.pack("!BBH", b0, (0x80 if mask else 0) | 126, n)
    else:
        hdr = struct.pack("!BBQ", b0, (0x80 if mask else 0) | 127, n)
    if mask:
        hdr += mask
        payload = bytes(c ^ mask[i % 4] for i, c in enumerate(payload))
    return hdr + payload


WS_UPGRADE = crlf("""GET / HTTP/1.1
Host: edge.example.com
Upgrade: websocket
Connection: Upgrade
Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
Sec-WebSocket-Protocol: sip
Sec-WebSocket-Version: 13

""")
WS_ACCEPT = crlf("""HTTP/1.1 101 Switching Protocols
Upgrade: websocket
Connection: Upgrade
Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=
Sec-WebSocket-Protocol: sip

""")

SIP_WS_REGISTER = sip("""REGISTER sip:example.com SIP/2.0
Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKasudf;rport
From: <sip:alice@example.com>;tag=65bnmj.34asd
To: <sip:alice@example.com>
Call-ID: aiuy7k9njasd
CSeq: 1 REGISTER
Max-Forwards: 70
Supported: path, outbound, gruu
Contact: <sip:alice@df7jal23ls0d.invalid;transport=ws>;reg-id=1;+sip.instance="<urn:uuid:f81-7dec-14a06cf1>";expires=600""")

SIP_WS_200 = sip("""SIP/2.0 200 OK
Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKasudf;rport=56818;received=192.0.2.77
From: <sip:alice@example.com>;tag=65bnmj.34asd
To: <sip:alice@example.com>;tag=2493k59kd
Call-ID: aiuy7k9njasd
CSeq: 1 REGISTER
Contact: <sip:alice@df7jal23ls0d.invalid;transport=ws>;expires=600""")


# --------------------------------------------------- packet sequences
# Each sequence is a list of (time step index, network-layer packet): the
# link layer is added by the writer. Time step indexes are fuzz-frame.c's
# time_steps[] (2 = 1 ms, 5 = 1 s, 9 = 31 s, 12 = 601 s).

A4, B4, C4, D4 = "192.0.2.10", "192.0.2.20", "198.51.100.1", "198.51.100.2"
A6, B6 = "2001:db8::a", "2001:db8::b"


def seq_udp_call():
    return [
        (0, ipv4(A4, B4, 17, udp(5060, 5060, SIP_INVITE), 10)),
        (3, ipv4(B4, A4, 17, udp(5060, 5060, SIP_200_OK), 20)),
        (3, ipv4(A4, B4, 17, udp(5060, 5060, SIP_ACK), 11)),
        (5, ipv4(A4, B4, 17, udp(5060, 5060, b"\r\n\r\n"), 12)),  # keep-alive
        (2, ipv4(A4, B4, 17, udp(16384, 16386, bytes.fromhex("80000001000000a0deadbeef") +
                                 b"\xff" * 20), 13)),  # an RTP packet
    ]


def seq_tcp_stream():
    """Handshake, an INVITE cut in three segments delivered out of order
    with a retransmission, two messages in one segment, FIN."""
    c, s = 40000, 5060
    isn_c, isn_s = 1000, 5000
    msg = SIP_INVITE_MULTIPART
    p1, p2, p3 = msg[:200], msg[200:700], msg[700:]
    seq = isn_c + 1
    pk = []
    pk.append((0, ipv4(A4, B4, 6, tcp(c, s, isn_c, 0, TCP_SYN))))
    pk.append((2, ipv4(B4, A4, 6, tcp(s, c, isn_s, isn_c + 1, TCP_SYN | TCP_ACK))))
    pk.append((1, ipv4(A4, B4, 6, tcp(c, s, seq, isn_s + 1, TCP_ACK))))
    pk.append((2, ipv4(A4, B4, 6, tcp(c, s, seq, isn_s + 1, TCP_ACK | TCP_PSH, p1))))
    pk.append((1, ipv4(A4, B4, 6, tcp(c, s, seq + len(p1) + len(p2), isn_s + 1,
                                      TCP_ACK | TCP_PSH, p3))))
    pk.append((1, ipv4(A4, B4, 6, tcp(c, s, seq + len(p1), isn_s + 1, TCP_ACK, p2))))
    pk.append((3, ipv4(A4, B4, 6, tcp(c, s, seq, isn_s + 1, TCP_ACK, p1))))  # retransmitted
    seq += len(msg)
    both = stream_two_messages()
    pk.append((3, ipv4(A4, B4, 6, tcp(c, s, seq, isn_s + 1, TCP_ACK | TCP_PSH, both))))
    seq += len(both)
    pk.append((4, ipv4(B4, A4, 6, tcp(s, c, isn_s + 1, seq, TCP_ACK | TCP_PSH, SIP_401))))
    pk.append((5, ipv4(A4, B4, 6, tcp(c, s, seq, isn_s + 1 + len(SIP_401), TCP_ACK | TCP_FIN))))
    return pk


def seq_ipv4_fragments():
    """A UDP datagram in three fragments, last one first; then a lone
    fragment that never completes."""
    dgram = udp(5060, 5080, SIP_200_OK)
    frags = ipv4_fragments(C4, D4, 17, dgram, 0x4242, 512)
    lone = ipv4_fragments(C4, D4, 17, udp(5060, 5080, SIP_OPTIONS_IPV6), 0x4343, 256)[0]
    return [(0, frags[-1]), (2, frags[0]), (2, lone)] + [(2, f) for f in frags[1:-1]] + \
        [(9, ipv4(C4, D4, 17, udp(5060, 5080, SIP_ACK)))]


def seq_ipv6_fragments():
    dgram = udp(5060, 5060, SIP_INVITE)
    frags = ipv6_fragments(A6, B6, 17, dgram, 0xCAFE, 400)
    return [(0, frags[0])] + [(2, f) for f in frags[1:]] + \
        [(3, ipv6(B6, A6, 17, udp(5060, 5060, SIP_401)))]


def seq_sctp():
    """A whole message, one in three fragments, a non-DATA chunk."""
    msg = SIP_200_OK
    third = len(msg) // 3
    init = sctp_chunk(1, 0, struct.pack("!IIHHI", 0xABCD, 65535, 10, 10, 1))
    return [
        (0, ipv4(A4, B4, 132, sctp(5060, 5060, [init]))),
        (2, ipv4(A4, B4, 132, sctp(5060, 5060, [sctp_data(1, 0, 0, 0, SIP_INVITE)]))),
        (2, ipv4(B4, A4, 132, sctp(5060, 5060, [sctp_data(7, 1, 0, 0, msg[:third], True, False)]))),
        (2, ipv4(B4, A4, 132, sctp(5060, 5060, [
            sctp_data(8, 1, 0, 0, msg[third:2 * third], False, False),
            sctp_data(9, 1, 0, 0, msg[2 * third:], False, True)]))),
    ]


def seq_websocket():
    c, s = 51000, 443
    a, b = 7000, 9000
    frame1 = ws_frame(SIP_WS_REGISTER, mask=b"\x37\xfa\x21\x3d")
    frame2 = ws_frame(SIP_WS_200)
    pk = [
        (0, ipv4(A4, B4, 6, tcp(c, s, a, b, TCP_ACK | TCP_PSH, WS_UPGRADE))),
        (2, ipv4(B4, A4, 6, tcp(s, c, b, a + len(WS_UPGRADE), TCP_ACK | TCP_PSH, WS_ACCEPT))),
    ]
    a += len(WS_UPGRADE)
    b += len(WS_ACCEPT)
    # the client frame split across two segments
    pk.append((2, ipv4(A4, B4, 6, tcp(c, s, a, b, TCP_ACK, frame1[:100]))))
    pk.append((2, ipv4(A4, B4, 6, tcp(c, s, a + 100, b, TCP_ACK | TCP_PSH, frame1[100:]))))
    pk.append((3, ipv4(B4, A4, 6, tcp(s, c, b, a + len(frame1), TCP_ACK | TCP_PSH,
                                      frame2 + ws_frame(b"", opcode=9)))))
    return pk


def seq_tunnels():
    """IP-in-IP, GRE with a key, GRE carrying Ethernet (TEB)."""
    inner = ipv4(C4, D4, 17, udp(5060, 5060, SIP_ACK))
    inner6 = ipv6(A6, B6, 17, udp(5060, 5060, SIP_BYE))
    return [
        (0, ipv4(A4, B4, 4, inner)),
        (2, ipv4(A4, B4, 47, gre(0x0800, inner, key=77))),
        (2, ipv4(A4, B4, 47, gre(0x6558, eth(inner6, 0x86DD)))),
        (2, ipv4(A4, B4, 41, inner6)),
    ]


def seq_idle_gap():
    """A TCP message cut by a gap, then silence past the idle timeout."""
    c, s = 41000, 5060
    msg = SIP_BYE
    return [
        (0, ipv4(A4, B4, 6, tcp(c, s, 100, 1, TCP_ACK, msg[:60]))),
        (2, ipv4(A4, B4, 6, tcp(c, s, 100 + 120, 1, TCP_ACK, msg[120:]))),
        (12, ipv4(A4, B4, 6, tcp(c, s, 100 + len(msg), 1, TCP_ACK, SIP_ACK))),
        (9, ipv4(B4, A4, 17, udp(5060, 5060, SIP_RESPONSE_BAD))),
    ]


# ------------------------------------------------------------- writers

T0 = 1700000000  # seconds; fuzz-frame.c starts at the same time
STEP_NS = [0, 1000, 10**6, 10**7, 10**8, 10**9, 2 * 10**9, 5 * 10**9, 10**10,
           31 * 10**9, 60 * 10**9, 300 * 10**9, 601 * 10**9, 3600 * 10**9,
           86400 * 10**9, 365 * 86400 * 10**9]


def timestamps(steps):
    t = T0 * 10**9
    for s in steps:
        t += STEP_NS[s]
        yield t


def pcap_file(linktype, frames, nanosecond=False, big_endian=False):
    """Classic pcap: @frames is a list of (time step, frame bytes)."""
    e = ">" if big_endian else "<"
    magic = 0xA1B23C4D if nanosecond else 0xA1B2C3D4
    out = struct.pack(e + "IHHiIII", magic, 2, 4, 0, 0, 65535, linktype)
    for t, (_, data) in zip(timestamps(s for s, _ in frames), frames):
        sec, sub = divmod(t, 10**9)
        if not nanosecond:
            sub //= 1000
        out += struct.pack(e + "IIII", sec, sub, len(data), len(data)) + data
    return out


def pcapng_block(btype, body):
    pad = b"\0" * ((4 - len(body) % 4) % 4)
    n = 12 + len(body) + len(pad)
    return struct.pack("<II", btype, n) + body + pad + struct.pack("<I", n)


def pcapng_file(linktype, frames, snaplen=65535):
    shb = pcapng_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    # if_tsresol = 9 (nanoseconds), then opt_endofopt
    opts = struct.pack("<HHB3x", 9, 1, 9) + struct.pack("<HH", 0, 0)
    idb = pcapng_block(1, struct.pack("<HHI", linktype, 0, snaplen) + opts)
    out = shb + idb
    for t, (_, data) in zip(timestamps(s for s, _ in frames), frames):
        epb = struct.pack("<IIIII", 0, t >> 32, t & 0xFFFFFFFF, len(data), len(data)) + data
        out += pcapng_block(6, epb)
    return out


# fuzz-frame.c link_types[] indexes
LT_EN10MB, LT_SLL, LT_SLL2, LT_RAW, LT_NULL, LT_LOOP, LT_IPV4, LT_IPV6 = range(8)
MODE_SOURCE1, MODE_SMALL_LIMITS = 0x08, 0x10


def frame_seq(mode, frames):
    """fuzz-frame.c's layout: mode byte, then (step << 12 | len) records."""
    out = bytes([mode])
    for step, data in frames:
        assert len(data) <= 0x0FFF, "frame too long for the 12-bit length"
        out += struct.pack("!H", (step << 12) | len(data)) + data
    return out


def link(frames, fn):
    return [(s, fn(p)) for s, p in frames]


def eth_for(packet):
    return eth(packet, 0x86DD if packet[0] >> 4 == 6 else 0x0800)



# ----------------------------------------------------------- RTP, RTCP

def rtp(pt, seq, ts, ssrc, payload, marker=False, csrc=(), ext=None, pad=0):
    b0 = 0x80 | (0x20 if pad else 0) | (0x10 if ext is not None else 0) | len(csrc)
    out = struct.pack("!BBHII", b0, (0x80 if marker else 0) | pt, seq & 0xFFFF,
                      ts & 0xFFFFFFFF, ssrc)
    out += b"".join(struct.pack("!I", c) for c in csrc)
    if ext is not None:
        profile, data = ext
        out += struct.pack("!HH", profile, len(data) // 4) + data
    out += payload
    if pad:
        out += b"\0" * (pad - 1) + bytes([pad])
    return out


def rtcp_packet(pt, count, body, pad=0):
    body += b"\0" * (pad - 1) + bytes([pad]) if pad else b""
    assert len(body) % 4 == 0
    b0 = 0x80 | (0x20 if pad else 0) | count
    return struct.pack("!BBH", b0, pt, len(body) // 4) + body


def rtcp_block(ssrc, lost_frac=0, cum=0, seq=0, jitter=0, lsr=0, dlsr=0):
    return struct.pack("!IB3sIIII", ssrc, lost_frac, (cum & 0xFFFFFF).to_bytes(3, "big"),
                       seq, jitter, lsr, dlsr)


def rtcp_sr(ssrc, ntp, rtp_ts, packets, octets, blocks=()):
    body = struct.pack("!IQIII", ssrc, ntp, rtp_ts, packets, octets) + b"".join(blocks)
    return rtcp_packet(200, len(blocks), body)


def rtcp_rr(ssrc, blocks=()):
    return rtcp_packet(201, len(blocks), struct.pack("!I", ssrc) + b"".join(blocks))


def rtcp_sdes(ssrc, cname):
    items = bytes([1, len(cname)]) + cname + b"\0"
    chunk = struct.pack("!I", ssrc) + items
    chunk += b"\0" * ((4 - len(chunk) % 4) % 4)
    return rtcp_packet(202, 1, chunk)


def rtcp_bye(ssrcs, reason=b""):
    body = b"".join(struct.pack("!I", x) for x in ssrcs)
    if reason:
        body += bytes([len(reason)]) + reason
        body += b"\0" * ((4 - len(body) % 4) % 4)
    return rtcp_packet(203, len(ssrcs), body)


def rtcp_xr_voip(ssrc, about):
    # RFC 3611 4.7: BT=7, reserved, length 8, then the metrics
    block = struct.pack("!BBH", 7, 0, 8) + struct.pack(
        "!IBBBBHHHHbbBBBBBBBBHHH", about, 5, 0, 10, 2, 40, 300, 30, 10, -40, -70, 127,
        16, 85, 85, 41, 40, 0x80, 0, 40, 60, 200)
    return rtcp_packet(207, 0, struct.pack("!I", ssrc) + block)


def rtp_event(event, end, volume, duration):
    return struct.pack("!BBH", event, (0x80 if end else 0) | volume, duration)


SSRC_A, SSRC_B = 0x11223344, 0x55667788
NTP_T0 = (2208988800 + 1700000000) << 32


# fuzz-rtp.c flows[] and time_steps[] (3 = 20 ms, 4 = 21 ms, 5 = 100 ms)
def rtp_seq(mode, records):
    out = bytes([mode])
    for flow, step, data in records:
        assert len(data) <= 0x07FF
        out += struct.pack("!H", (flow << 14) | (step << 11) | len(data)) + data
    return out


def rtp_audio_records(n=12, lose=(5,), reorder=(8,), pt=0, ssrc=SSRC_A, flow=0, size=160):
    recs = []
    seqs = [s for s in range(1000, 1000 + n) if s - 1000 not in lose]
    for r in reorder:
        i = r
        if i + 1 < len(seqs):
            seqs[i], seqs[i + 1] = seqs[i + 1], seqs[i]
    for k, s in enumerate(seqs):
        recs.append((flow, 3 if k % 3 else 4, rtp(pt, s, 160 * (s - 1000), ssrc,
                                                   b"\xff" * size, marker=(k == 0))))
    return recs


def rtcp_compound_a():
    return (rtcp_sr(SSRC_A, NTP_T0, 1600, 10, 1600,
                    [rtcp_block(SSRC_B, 12, 3, 0x10000 + 1011, 40, (NTP_T0 >> 16) & 0xFFFFFFFF, 65536)])
            + rtcp_sdes(SSRC_A, b"alice@192.0.2.10") + rtcp_xr_voip(SSRC_A, SSRC_B))


def rtp_seeds():
    s = {}
    s["rtp/pcmu-loss-reorder"] = rtp_seq(0, rtp_audio_records())
    s["rtp/two-way-rtcp"] = rtp_seq(0, rtp_audio_records(8, lose=(), reorder=()) +
                                    rtp_audio_records(8, lose=(2,), reorder=(), ssrc=SSRC_B, flow=1, pt=8) +
                                    [(2, 5, rtcp_compound_a()),
                                     (2, 5, rtcp_rr(SSRC_B, [rtcp_block(SSRC_A, 0, 0, 1007, 12)]) +
                                      rtcp_bye([SSRC_B], b"hanging up"))])
    # SDP-announced dynamic types: opus, RFC 4733 events (a digit "5"),
    # a payload type change, a marker, the rate-less 97
    recs = [(0, 3, rtp(96, 1 + k, 960 * k, SSRC_A, b"\x78" * 40)) for k in range(5)]
    recs += [(0, 3, rtp(101, 6 + k, 4800, SSRC_A, rtp_event(5, k >= 2, 10, 160 * (k + 1)),
                        marker=(k == 0))) for k in range(4)]
    recs += [(0, 3, rtp(97, 10, 5000, SSRC_A, b"\0" * 20))]
    s["rtp/sdp-opus-dtmf"] = rtp_seq(0x01, recs)
    # header extension, CSRCs, padding, a bad padding count, RTCP-conflicting
    # marker + PT, version 1, T.38 address, truncated headers
    s["rtp/header-forms"] = rtp_seq(0x02, [
        (0, 3, rtp(0, 1, 0, SSRC_A, b"\x55" * 20, ext=(0xBEDE, b"\x10\x01\x00\x00"))),
        (0, 3, rtp(0, 2, 160, SSRC_A, b"\x55" * 20, csrc=(1, 2, 3))),
        (0, 3, rtp(0, 3, 320, SSRC_A, b"\x55" * 20, pad=4)),
        (0, 3, rtp(0, 4, 480, SSRC_A, b"\x55" * 20)[:-1] + b"\x63"),
        (1, 2, rtp(72, 5, 0, SSRC_B, b"", marker=True)),
        (1, 2, rtp(77, 6, 0, SSRC_B, b"\0" * 8, marker=True)),
        (3, 5, rtp(0, 7, 0, SSRC_B, b"\x55" * 20)),
        (3, 5, b"\x40" + rtp(0, 8, 0, SSRC_B, b"")[1:]),
        (1, 2, rtp(0, 9, 0, SSRC_B, b"", csrc=(1, 2))[:15]),
        (1, 2, b"\x90\x00\x00\x0a\0\0\0\0\0\0\0\1\xbe\xde\x00\x09"),
    ])
    s["rtp/rtcp-forms"] = rtp_seq(0, [
        (2, 0, rtcp_rr(SSRC_A)),
        (2, 5, rtcp_packet(200, 0, struct.pack("!IQIII", SSRC_A, NTP_T0, 0, 0, 0), pad=4)),
        (2, 5, rtcp_rr(SSRC_A, [rtcp_block(SSRC_B, cum=-5)] * 9)),
        (2, 5, b"".join(rtcp_rr(SSRC_A) for _ in range(9))),
        (2, 5, rtcp_packet(204, 1, struct.pack("!I", SSRC_A) + b"NAME\0\0\0\0")),
        (2, 5, rtcp_packet(205, 1, struct.pack("!II", SSRC_A, SSRC_B))),
        (2, 5, rtcp_rr(SSRC_A) + b"\x80\xc9\x00\x09"),
        (2, 5, rtcp_sdes(SSRC_B, b"x" * 70)),
    ])
    s["rtp/ipv6-small-limits"] = rtp_seq(0x0C, rtp_audio_records(6) +
                                         rtp_audio_records(4, ssrc=1, flow=1) +
                                         rtp_audio_records(4, ssrc=2, flow=3) +
                                         [(0, 7, rtp(0, 2000, 0, SSRC_A, b"\xff" * 160))])
    return s


# ----------------------------------------------------------------- HEP

def hep_chunk(ctype, data, vendor=0):
    return struct.pack("!HHH", vendor, ctype, 6 + len(data)) + data


def hep3(src, dst, sport, dport, payload, proto=17, ptype=1, sec=1700000000, usec=123456,
         capture_id=2001, v6=False, zlib_payload=False, auth=None, corr=None, vendor=False):
    fam = 10 if v6 else 2
    pack_ip = ip6 if v6 else ip4
    body = hep_chunk(1, bytes([fam])) + hep_chunk(2, bytes([proto]))
    body += hep_chunk(5 if v6 else 3, pack_ip(src)) + hep_chunk(6 if v6 else 4, pack_ip(dst))
    body += hep_chunk(7, struct.pack("!H", sport)) + hep_chunk(8, struct.pack("!H", dport))
    body += hep_chunk(9, struct.pack("!I", sec)) + hep_chunk(10, struct.pack("!I", usec))
    body += hep_chunk(11, bytes([ptype])) + hep_chunk(12, struct.pack("!I", capture_id))
    if auth is not None:
        body += hep_chunk(14, auth)
    if corr is not None:
        body += hep_chunk(17, corr)
    if vendor:
        body += hep_chunk(1, b"\x01\x02", vendor=0x0001)
    if zlib_payload:
        body += hep_chunk(16, zlib.compress(payload, 9))
    else:
        body += hep_chunk(15, payload)
    return b"HEP3" + struct.pack("!H", 6 + len(body)) + body


def hep2(src, dst, sport, dport, payload, v1=False):
    head = struct.pack("!BBBBHH", 1 if v1 else 2, 16, 2, 17, sport, dport) + ip4(src) + ip4(dst)
    if not v1:
        head += struct.pack("<IIHH", 1700000000, 654321, 77, 0)
    return head + payload


def hep_seeds():
    s = {}
    s["hep/v3-udp-invite"] = hep3(A4, B4, 5060, 5060, SIP_INVITE)
    s["hep/v3-zlib-200"] = hep3(B4, A4, 5060, 5060, SIP_200_OK, zlib_payload=True,
                                auth=b"secret", corr=b"a84b4c76e66710@pc33")
    s["hep/v3-stream"] = (hep3(A6, B6, 40000, 5060, SIP_INVITE_MULTIPART[:300], proto=6, v6=True) +
                          hep3(A6, B6, 40000, 5060, SIP_INVITE_MULTIPART[300:], proto=6, v6=True) +
                          hep3(A4, B4, 16000, 16002, rtp(0, 1, 0, SSRC_A, b"\xff" * 160), ptype=4,
                               vendor=True) +
                          hep3(A4, B4, 16001, 16003, rtcp_compound_a(), ptype=5) +
                          b"EEP3" + hep3(A4, B4, 1, 2, b"log line", ptype=100)[4:])
    s["hep/v2-v1"] = hep2(C4, D4, 5060, 5080, SIP_OPTIONS_IPV6)
    s["hep/v1"] = hep2(C4, D4, 5060, 5080, SIP_ACK, v1=True)
    s["hep/v3-nested"] = hep3(A4, B4, 9060, 9060, hep3(C4, D4, 5060, 5060, SIP_BYE))
    s["hep/v3-cut"] = hep3(A4, B4, 5060, 5060, SIP_BYE)[:-20]
    return s


# ------------------------------------------------------------ pipeline

def udp4(src, dst, sport, dport, payload, ident=1):
    return eth(ipv4(src, dst, 17, udp(sport, dport, payload), ident))


def sdp_offer(ip, port, extra=""):
    return crlf("""v=0
o=- 1 1 IN IP4 %s
s=-
c=IN IP4 %s
t=0 0
m=audio %d RTP/AVP 0 8 101
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-15
%sa=sendrecv
""" % (ip, ip, port, extra))


def call_messages(call_id, a, b, a_media, b_media, answer=200):
    """INVITE, 100, 180, final, ACK (and BYE/200 when answered)."""
    def hdrs(method, cseq, to_tag, via_branch):
        return """Via: SIP/2.0/UDP %s:5060;branch=%s
From: "Alice" <sip:1001@%s>;tag=a1
To: <sip:2002@%s>%s
Call-ID: %s
CSeq: %d %s
Contact: <sip:1001@%s:5060>
User-Agent: seed-phone/2.0""" % (a, via_branch, a, b, ";tag=b2" if to_tag else "", call_id,
                                  cseq, method, a)
    inv = sip("INVITE sip:2002@%s SIP/2.0\nMax-Forwards: 70\n%s\nContent-Type: application/sdp"
              % (b, hdrs("INVITE", 1, False, "z9hG4bK-1")), sdp_offer(a, a_media))
    r100 = sip("SIP/2.0 100 Trying\n" + hdrs("INVITE", 1, False, "z9hG4bK-1"))
    r180 = sip("SIP/2.0 180 Ringing\n" + hdrs("INVITE", 1, True, "z9hG4bK-1"))
    if answer == 200:
        fin = sip("SIP/2.0 200 OK\n%s\nContent-Type: application/sdp"
                  % hdrs("INVITE", 1, True, "z9hG4bK-1"), sdp_offer(b, b_media))
    else:
        fin = sip("SIP/2.0 %d Busy Here\n%s\nReason: Q.850;cause=17" % (answer, hdrs("INVITE", 1, True, "z9hG4bK-1")))
    ack = sip("ACK sip:2002@%s SIP/2.0\nMax-Forwards: 70\n%s" % (b, hdrs("ACK", 1, True, "z9hG4bK-2" if answer == 200 else "z9hG4bK-1")))
    out = [(0, a, b, inv), (3, b, a, r100), (4, b, a, r180), (6, b, a, fin), (2, a, b, ack)]
    if answer == 200:
        bye = sip("BYE sip:1001@%s SIP/2.0\nMax-Forwards: 70\n%s" % (a, hdrs("BYE", 2, True, "z9hG4bK-3")))
        ok = sip("SIP/2.0 200 OK\n" + hdrs("BYE", 2, True, "z9hG4bK-3"))
        out += [("media",), (7, a, b, bye), (2, b, a, ok)]
    return out


def call_capture(lose=(), info_dtmf=False):
    a, b = "192.0.2.10", "192.0.2.20"
    frames = []
    for m in call_messages("seed-call-1@192.0.2.10", a, b, 16000, 18000):
        if m[0] == "media":
            seq_a = 100  # audio and RFC 4733 events share the sequence space
            for k in range(24):  # the file stays under fuzz-pipeline's -max_len
                seq_a += 1
                if k in lose:
                    continue
                frames.append((3 if k else 2, udp4(a, b, 16000, 18000,
                               rtp(0, seq_a, 160 * k, SSRC_A, b"\xff" * 160, marker=(k == 0)), k)))
                frames.append((0, udp4(b, a, 18000, 16000,
                               rtp(8, 500 + k, 160 * k, SSRC_B, b"\xd5" * 160), k)))
                if k == 12:
                    for n, end in enumerate((False, True)):
                        seq_a += 1
                        frames.append((0, udp4(a, b, 16000, 18000,
                                       rtp(101, seq_a, 160 * k, SSRC_A,
                                           rtp_event(1, end, 10, 160 * (n + 1)), marker=(n == 0)))))
                if k == 18:
                    frames.append((0, udp4(a, b, 16001, 18001, rtcp_compound_a())))
            if info_dtmf:
                info = sip("INFO sip:2002@%s SIP/2.0\nVia: SIP/2.0/UDP %s:5060;branch=z9hG4bK-9\n"
                           "From: <sip:1001@%s>;tag=a1\nTo: <sip:2002@%s>;tag=b2\n"
                           "Call-ID: seed-call-1@192.0.2.10\nCSeq: 3 INFO\n"
                           "Content-Type: application/dtmf-relay" % (b, a, a, b),
                           b"Signal=5\r\nDuration=160\r\n")
                frames.append((5, udp4(a, b, 5060, 5060, info)))
            continue
        step, src, dst, msg = m
        frames.append((step, udp4(src, dst, 5060, 5060, msg)))
    return frames


def pipeline_seeds():
    s = {}
    s["pipeline/call-rtp-dtmf.pcap"] = pcap_file(1, call_capture(lose=(7, 8, 9), info_dtmf=True))
    busy = [(m[0], udp4(m[1], m[2], 5060, 5060, m[3]))
            for m in call_messages("seed-busy@192.0.2.30", "192.0.2.30", "192.0.2.40", 20000, 0,
                                   answer=486)]
    s["pipeline/call-busy.pcapng"] = pcapng_file(1, busy)
    return s

# ---------------------------------------------------------------- main

def seeds():
    s = {}
    # fuzz-sdp
    s["sdp/audio.sdp"] = SDP_AUDIO
    s["sdp/audio-video-srtp.sdp"] = SDP_AV_SRTP
    s["sdp/ipv6-multicast.sdp"] = SDP_IPV6_MULTICAST
    s["sdp/t38-rejected.sdp"] = SDP_T38_REJECTED
    s["sdp/sloppy-lf.sdp"] = SDP_SLOPPY
    s["sdp/webrtc.sdp"] = SDP_WEBRTC
    s["sdp/limit-media.sdp"] = sdp_many_media(18)
    s["sdp/limit-formats.sdp"] = sdp_many_formats(34)
    s["sdp/not-sdp.txt"] = b"x=0\r\nv=0\r\n"

    # fuzz-sip
    s["sip/invite-sdp.sip"] = SIP_INVITE
    s["sip/200-ok-lists.sip"] = SIP_200_OK
    s["sip/register-compact-folded.sip"] = SIP_REGISTER_COMPACT
    s["sip/invite-multipart.sip"] = SIP_INVITE_MULTIPART
    s["sip/options-ipv6-uris.sip"] = SIP_OPTIONS_IPV6
    s["sip/stream-ack-bye.sip"] = stream_two_messages()
    s["sip/401-quoted.sip"] = SIP_401
    s["sip/notify-no-content-length.sip"] = SIP_NOTIFY_NO_CL
    s["sip/broken-headers.sip"] = SIP_BROKEN
    s["sip/bad-status-lines.sip"] = SIP_RESPONSE_BAD
    s["sip/ws-register.sip"] = SIP_WS_REGISTER

    # fuzz-capture (pcap link types are LINKTYPE_* values)
    s["capture/udp-call-eth.pcap"] = pcap_file(1, link(seq_udp_call(), eth_for))
    s["capture/tcp-stream-eth.pcapng"] = pcapng_file(1, link(seq_tcp_stream(), eth_for))
    s["capture/ipv4-frag-sll-nsec-be.pcap"] = pcap_file(
        113, link(seq_ipv4_fragments(), sll), nanosecond=True, big_endian=True)
    s["capture/ipv6-frag-sll2.pcapng"] = pcapng_file(
        276, link(seq_ipv6_fragments(), lambda p: sll2(p, 0x86DD)))
    s["capture/sctp-raw.pcap"] = pcap_file(101, seq_sctp())
    s["capture/websocket-null.pcap"] = pcap_file(0, link(seq_websocket(), null_lo))
    s["capture/tunnels-vlan.pcap"] = pcap_file(
        1, link(seq_tunnels(), lambda p: eth(p, 0x0800, vlans=((0x88A8, 100), (0x8100, 200)))))
    vx = [(0, ipv4(C4, D4, 17, udp(33333, 4789, vxlan(42, eth_for(p))))) for _, p in seq_udp_call()[:2]]
    s["capture/vxlan-loop.pcap"] = pcap_file(108, link(vx, loop_lo))
    s["capture/udp-call.pcap.gz"] = gzip.compress(
        pcap_file(1, link(seq_udp_call(), eth_for)), mtime=0)
    s["capture/truncated.pcap"] = pcap_file(1, link(seq_udp_call(), eth_for))[:-60]

    # fuzz-frame
    s["frame/eth-udp-call"] = frame_seq(LT_EN10MB, link(seq_udp_call(), eth_for))
    s["frame/sll-tcp-stream"] = frame_seq(LT_SLL, link(seq_tcp_stream(), sll))
    s["frame/sll2-ipv6-frag"] = frame_seq(
        LT_SLL2, link(seq_ipv6_fragments(), lambda p: sll2(p, 0x86DD)))
    s["frame/raw-ipv4-frag"] = frame_seq(LT_RAW, seq_ipv4_fragments())
    s["frame/null-sctp"] = frame_seq(LT_NULL, link(seq_sctp(), null_lo))
    s["frame/loop-websocket"] = frame_seq(LT_LOOP, link(seq_websocket(), loop_lo))
    s["frame/ipv4-tunnels"] = frame_seq(LT_IPV4 | MODE_SOURCE1, seq_tunnels())
    s["frame/ipv6-udp"] = frame_seq(LT_IPV6, [
        (0, ipv6(A6, B6, 17, udp(5060, 5060, SIP_OPTIONS_IPV6))),
        (5, ipv6(B6, A6, 17, udp(5060, 5060, SIP_200_OK)))])
    s["frame/small-limits-tcp-gap"] = frame_seq(
        LT_EN10MB | MODE_SMALL_LIMITS, link(seq_idle_gap() + seq_tcp_stream(), eth_for))
    s["frame/small-limits-frag"] = frame_seq(
        LT_RAW | MODE_SMALL_LIMITS, seq_ipv4_fragments() + seq_sctp())
    s["frame/vxlan-vlan"] = frame_seq(LT_EN10MB, [
        (0, eth(ipv4(C4, D4, 17, udp(33333, 4789, vxlan(42, eth_for(p)))), 0x0800,
                vlans=((0x8100, 7),))) for _, p in seq_udp_call()[:3]])
    s.update(rtp_seeds())
    s.update(hep_seeds())
    s.update(pipeline_seeds())
    return s


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "corpus")
    for name, data in sorted(seeds().items()):
        path = os.path.join(outdir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        print("%6d %s" % (len(data), path))


if __name__ == "__main__":
    main()
