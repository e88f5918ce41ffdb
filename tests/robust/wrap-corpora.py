#!/usr/bin/env python3
"""Wraps the message corpora (../shared/corpora) into captures, so that the
command-line tool reads every file through its whole pipeline.

Usage: wrap-corpora.py CORPORA_DIR OUT_DIR

One pcap (link type RAW, IPv4) per corpus folder, OUT_DIR/<folder>.pcap,
one message per frame, a second apart, each from its own source port:
- SIP messages (.sip .dat .txt, files without extension, the PROTOS
  rendered INVITEs from their zip) as one UDP datagram each, or, beyond
  what a datagram holds, as a TCP connection (handshake, segments, FIN);
- SDP bodies (.sdp) inside an INVITE and its 200 OK, the way a call
  carries them;
- URIs (.uri) as the Request-URI of an INVITE;
- RTCP (.rtcp, and .bin under an rtcp folder) to the RTCP port of media
  that an INVITE/200 pair announced first;
- STUN (.stun) to port 3478.
A file OUT_DIR/<folder>.list names the corpus file of each frame, so that
a report about frame N can be traced to its file.
"""
import os
import struct
import sys
import zipfile

SKIP_NAMES = {"INDEX.md", "README.TXT", "LICENSE.TXT", "extract.sh", "SHA256SUMS",
              "sip_dict.txt"}
MAX_UDP = 65507


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(src, dst, proto, payload, ident):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident & 0xFFFF, 0, 64,
                      proto, 0, bytes(src), bytes(dst))
    hdr = hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:]
    return hdr + payload


class Writer:
    def __init__(self, path):
        self.f = open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 101))
        self.t = 1_700_000_000.0
        self.ident = 1
        self.names = []

    def frame(self, pkt, name):
        self.t += 0.001
        sec = int(self.t)
        usec = int(round((self.t - sec) * 1e6)) % 1000000
        self.f.write(struct.pack("<IIII", sec, usec, len(pkt), len(pkt)))
        self.f.write(pkt)
        self.names.append(name)
        self.ident += 1

    def udp(self, src, sport, dst, dport, payload, name):
        udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
        self.frame(ipv4(src, dst, 17, udp, self.ident), name)

    def tcp(self, src, sport, dst, dport, payload, name):
        seq_c, seq_s = 1000, 5000

        def seg(a, ap, b, bp, seq, ack, flags, data=b""):
            tcp = struct.pack("!HHIIBBHHH", ap, bp, seq, ack, 5 << 4, flags, 65535, 0, 0) + data
            self.frame(ipv4(a, b, 6, tcp, self.ident), name)

        seg(src, sport, dst, dport, seq_c, 0, 0x02)
        seg(dst, dport, src, sport, seq_s, seq_c + 1, 0x12)
        seg(src, sport, dst, dport, seq_c + 1, seq_s + 1, 0x10)
        seq = seq_c + 1
        for i in range(0, len(payload), 1460):
            chunk = payload[i:i + 1460]
            seg(src, sport, dst, dport, seq, seq_s + 1, 0x18, chunk)
            seq += len(chunk)
        seg(src, sport, dst, dport, seq, seq_s + 1, 0x11)

    def close(self, list_path):
        self.f.close()
        with open(list_path, "w", encoding="utf-8") as f:
            for i, n in enumerate(self.names, 1):
                f.write(f"{i}\t{n}\n")


A = (192, 0, 2, 1)
B = (192, 0, 2, 2)


def invite(uri, n, body=b"", ctype=None):
    head = (f"INVITE {uri} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-corpus-{n}\r\n"
            "Max-Forwards: 70\r\n"
            f"From: <sip:corpus@192.0.2.1>;tag=c{n}\r\n"
            "To: <sip:target@192.0.2.2>\r\n"
            f"Call-ID: corpus-{n}@192.0.2.1\r\n"
            "CSeq: 1 INVITE\r\n"
            "Contact: <sip:corpus@192.0.2.1>\r\n")
    if ctype:
        head += f"Content-Type: {ctype}\r\n"
    head += f"Content-Length: {len(body)}\r\n\r\n"
    return head.encode("latin-1", "replace") + body


def ok_for(n, body):
    head = ("SIP/2.0 200 OK\r\n"
            f"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-corpus-{n}\r\n"
            f"From: <sip:corpus@192.0.2.1>;tag=c{n}\r\n"
            f"To: <sip:target@192.0.2.2>;tag=s{n}\r\n"
            f"Call-ID: corpus-{n}@192.0.2.1\r\n"
            "CSeq: 1 INVITE\r\n"
            "Contact: <sip:target@192.0.2.2>\r\n"
            "Content-Type: application/sdp\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


def sdp(ip, port):
    return (f"v=0\r\no=- 1 1 IN IP4 {ip}\r\ns=-\r\nc=IN IP4 {ip}\r\nt=0 0\r\n"
            f"m=audio {port} RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\n"
            "a=sendrecv\r\n").encode()


def sip_message(w, data, name, n):
    sport = 10000 + n % 50000
    if len(data) <= MAX_UDP:
        w.udp(A, sport, B, 5060, data, name)
    else:
        w.tcp(A, sport, B, 5060, data, name)


def kind_of(folder, rel):
    ext = os.path.splitext(rel)[1].lower()
    if ext == ".sdp":
        return "sdp"
    if ext == ".uri":
        return "uri"
    if ext == ".rtcp" or (ext == ".bin" and "rtcp" in rel.split(os.sep)):
        return "rtcp"
    if ext == ".stun":
        return "stun"
    return "sip"


def wrap_file(w, kind, data, name, n):
    sport = 10000 + n % 50000
    if kind == "sip":
        sip_message(w, data, name, n)
    elif kind == "sdp":
        w.udp(A, sport, B, 5060, invite("sip:target@192.0.2.2", n, data, "application/sdp"), name)
        w.udp(B, 5060, A, sport, ok_for(n, sdp("192.0.2.2", 30000)), name)
    elif kind == "uri":
        uri = data.strip().decode("latin-1")
        w.udp(A, sport, B, 5060, invite(uri, n), name)
    elif kind == "rtcp":
        port = 20000 + 2 * (n % 4000)
        w.udp(A, sport, B, 5060, invite("sip:target@192.0.2.2", n, sdp("192.0.2.1", port),
                                         "application/sdp"), name)
        w.udp(B, 5060, A, sport, ok_for(n, sdp("192.0.2.2", port + 10000)), name)
        w.udp(A, port + 1, B, port + 10001, data, name)
    elif kind == "stun":
        w.udp(A, sport, B, 3478, data, name)


def main(corpora, out):
    os.makedirs(out, exist_ok=True)
    made = 0
    for folder in sorted(os.listdir(corpora)):
        top = os.path.join(corpora, folder)
        if not os.path.isdir(top):
            continue
        w = Writer(os.path.join(out, folder + ".pcap"))
        n = 0
        for root, dirs, files in os.walk(top):
            dirs.sort()
            for fn in sorted(files):
                if fn in SKIP_NAMES or fn.endswith(".md"):
                    continue
                path = os.path.join(root, fn)
                rel = os.path.relpath(path, corpora)
                if fn.endswith(".zip"):
                    with zipfile.ZipFile(path) as z:
                        for info in z.infolist():
                            # the rendered INVITEs; the raw cases are the same
                            # messages with placeholders still in them
                            if info.is_dir() or not info.filename.endswith(".sip"):
                                continue
                            n += 1
                            wrap_file(w, "sip", z.read(info), f"{rel}:{info.filename}", n)
                    continue
                with open(path, "rb") as f:
                    data = f.read()
                n += 1
                wrap_file(w, kind_of(folder, os.path.relpath(path, top)), data, rel, n)
        w.close(os.path.join(out, folder + ".list"))
        print(f"{folder}.pcap: {n} files, {len(w.names)} frames")
        made += 1
    return 0 if made else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
