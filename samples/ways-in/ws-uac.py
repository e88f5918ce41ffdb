#!/usr/bin/env python3
"""sipladder samples/regenerate-ways-in: a SIP caller over WebSocket
(RFC 7118) written with Python's standard library only (Debian 12 has no
SIP WebSocket client package): HTTP upgrade (RFC 6455 section 4), then
one masked text frame per SIP message. INVITE, ACK, one second of call,
BYE. With --tls it speaks secure WebSocket, and Python's ssl module
(OpenSSL) writes the NSS key log to the file given with --keylog.

  ws-uac.py LOCAL_IP PROXY_IP PORT NUMBER [--tls --keylog FILE]
"""
import base64
import os
import socket
import ssl
import struct
import sys
import time


def ws_send(sock, text):
    data = text.encode()
    key = os.urandom(4)
    head = bytes([0x81])
    if len(data) < 126:
        head += bytes([0x80 | len(data)])
    else:
        head += bytes([0x80 | 126]) + struct.pack("!H", len(data))
    masked = bytes(b ^ key[i % 4] for i, b in enumerate(data))
    sock.sendall(head + key + masked)


class Reader:
    def __init__(self, sock):
        self.sock, self.buf = sock, b""

    def need(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def http_head(self):
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed")
            self.buf += chunk
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        return head.decode()

    def frame(self):
        b0, b1 = self.need(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack("!H", self.need(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", self.need(8))[0]
        key = self.need(4) if b1 & 0x80 else None
        data = self.need(n)
        if key:
            data = bytes(b ^ key[i % 4] for i, b in enumerate(data))
        return b0 & 0x0F, data.decode(errors="replace")


def header(msg, name):
    for line in msg.split("\r\n"):
        if line.lower().startswith(name.lower() + ":"):
            return line.split(":", 1)[1].strip()
    return ""


def main():
    args = sys.argv[1:]
    use_tls = "--tls" in args
    keylog = args[args.index("--keylog") + 1] if "--keylog" in args else None
    local, proxy, port, number = args[0], args[1], int(args[2]), args[3]
    raw = socket.create_connection((proxy, port), timeout=10, source_address=(local, 0))
    sock = raw
    lport = raw.getsockname()[1]
    if use_tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        if keylog:
            ctx.keylog_filename = keylog
        sock = ctx.wrap_socket(raw, server_hostname="sip-a.example.test")
    rd = Reader(sock)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET / HTTP/1.1\r\nHost: {proxy}:{port}\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                  f"Sec-WebSocket-Protocol: sip\r\nSec-WebSocket-Version: 13\r\n"
                  f"Origin: http://{local}\r\n\r\n").encode())
    head = rd.http_head()
    if " 101 " not in head.split("\r\n")[0]:
        sys.exit("no upgrade: " + head.split("\r\n")[0])
    tr = "WSS" if use_tls else "WS"
    tag, cid = os.urandom(4).hex(), os.urandom(8).hex() + "@" + local
    sdp = (f"v=0\r\no=- 1001 1001 IN IP4 {local}\r\ns=-\r\nc=IN IP4 {local}\r\nt=0 0\r\n"
           "m=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")

    def request(method, uri, cseq, to, body="", ctype=""):
        branch = "z9hG4bK" + os.urandom(6).hex()
        msg = (f"{method} {uri} SIP/2.0\r\nVia: SIP/2.0/{tr} {local}:{lport};branch={branch};rport\r\n"
               f"Max-Forwards: 70\r\nFrom: \"Alice\" <sip:15551110001@{local}>;tag={tag}\r\n"
               f"To: {to}\r\nCall-ID: {cid}\r\nCSeq: {cseq} {method}\r\n"
               f"Contact: <sip:15551110001@{local}:{lport};transport={tr.lower()}>\r\n"
               + (f"Content-Type: {ctype}\r\n" if ctype else "")
               + f"Content-Length: {len(body.encode())}\r\n\r\n{body}")
        ws_send(sock, msg)

    def response(cseq_method):
        while True:
            op, text = rd.frame()
            if op == 1 and text.startswith("SIP/2.0 ") and header(text, "CSeq").endswith(cseq_method):
                return int(text.split(" ")[1]), text

    ruri = f"sip:{number}@{proxy}"
    request("INVITE", ruri, 1, f"<{ruri}>", sdp, "application/sdp")
    while True:
        code, ok = response("INVITE")
        if code >= 200:
            break
    if code != 200:
        sys.exit(f"INVITE answered {code}")
    to = header(ok, "To")
    target = header(ok, "Contact").strip("<>").split(">")[0]
    request("ACK", target, 1, to)
    time.sleep(1)
    request("BYE", target, 2, to)
    code, _ = response("BYE")
    sock.close()
    sys.exit(0 if code == 200 else f"BYE answered {code}")


if __name__ == "__main__":
    main()
