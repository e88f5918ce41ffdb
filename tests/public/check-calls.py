#!/usr/bin/env python3
"""Compare the calls of `sipladder-cli calls` on one public capture with
the Calls column of ../shared/captures/public/INDEX.md (Call-IDs that carry
an INVITE, from tshark's SIP decoding).

Usage: check-calls.py CLI CAPTURE   (CAPTURE relative to captures/public)

sipladder groups the legs of one call; INDEX.md counts one call per
Call-ID. Every difference is listed below with the Call-IDs involved and
checked; anything else fails. Exits 77 (skip) without the shared folder.
"""
import sys

from public_index import prepare


def legs_linked(call_id_pairs):
    """These Call-IDs must be legs of one call, linked for the reason given."""
    def check(calls):
        for first, second, why in call_id_pairs:
            owner = [c for c in calls if first in c["call_ids"]]
            if not owner or second not in owner[0]["call_ids"]:
                return f"{first} and {second} are not one call"
            leg = next(l for l in owner[0]["legs"] if l["call_id"] == second)
            if leg["linked_by"] != why:
                return f"{second} linked by {leg['linked_by']}, expected {why}"
        return None
    return check


def invite_not_captured(call_ids):
    """Calls whose INVITE request precedes the capture: listed from the
    responses and in-dialog requests that were captured."""
    def check(calls):
        for cid in call_ids:
            owner = [c for c in calls if cid in c["call_ids"] and c["kind"] == "call"]
            if len(owner) != 1:
                return f"{cid}: expected one call, found {len(owner)}"
        return None
    return check


def all_calls_from(host):
    """Every call's first message comes from or goes to @host."""
    def check(calls):
        for c in calls:
            if c["kind"] == "call" and not any(e.startswith(host + ":") for e in c["endpoints"]):
                return f"call {c['id']} does not involve {host}"
        return None
    return check


# capture -> (difference in calls, why, check)
def call_ids(ids):
    def check(calls):
        got = sorted(cid for c in calls if c["kind"] == "call" for cid in c["call_ids"])
        return None if got == sorted(ids) else f"calls with Call-IDs {got}, expected {ids}"
    return check


KNOWN = {
    "hep-wireshark/hep.pcap": (
        +1,
        "tshark 4.0 has no HEP dissector; inside the HEP packets is one "
        "INVITE (answered 100, 407, never acknowledged)",
        call_ids(["qgf3dm9rudi@127.0.0.1"]),
    ),
    "heplify/erspan_sip_ipv4_udp.pcapng": (
        -1,
        "attended transfer: the transferring phone (192.168.1.191) takes the "
        "offer 192.168.1.222:38764 that the SBC sent it on leg bf3880-... and "
        "puts it in its new INVITE cdfef7... (third-party call control), so "
        "after the transfer the two legs carry one conversation; sipladder "
        "links them by that media endpoint",
        legs_linked([("bf3880-0-16e4-5af571fa-38bc4ba4-5af571fa@101.231.48.19",
                      "cdfef7c7647e97e4ff66fbf504c524e4@192.168.1.191", "media")]),
    ),
    "heplify/sip_tcp_websocket.pcap": (
        -1,
        "the A leg (WebRTC, Call-ID kovfhoptshgn59q712sr) and the B leg that "
        "FreeSWITCH creates 28 ms later for the same callee number are one "
        "call; FreeSWITCH anchors the media, so no SDP endpoint is shared",
        legs_linked([("kovfhoptshgn59q712sr", "926ffd16-6154-1237-09ba-0270b3230128", "numbers")]),
    ),
    "goffinet-sip_captures/sip-2phones-B2BUA-Asterisk.pcapng": (
        -1,
        "the two legs of the call through Asterisk are one call: Asterisk "
        "re-INVITEs phone 2 with phone 1's media endpoint 172.16.98.1:8000 "
        "(direct media), so the SDP of both legs names it",
        legs_linked([("M2Q0ZDc1ZGM1NzIyMTlhZTA3NDU3NTgzMzA5YmJmZWQ.",
                      "37686afc57ce24ac655742b3644a7bb8@172.16.98.101:5060", "media")]),
    ),
    "heplify/sip_ipv4_tcp_fragmented.pcap": (
        +2,
        "two calls began before the capture did (Call-IDs "
        "044e6256592e8113b15b37b77600 and 809021216592e81e4b05b37b77600): their "
        "INVITE was not captured, their 486 / 200 OK, ACK and BYE were",
        invite_not_captured(["044e6256592e8113b15b37b77600", "809021216592e81e4b05b37b77600"]),
    ),
    "ndpi/gre.pcapng": (
        +1,
        "the one frame is a 100 Trying to an INVITE that was not captured",
        invite_not_captured(["AI1737AB5491ADC392@192.168.103.40"]),
    ),
    "ndpi/fuzz-2006-06-26-2594.pcap": (
        +5,
        "a fuzzed copy of aaa.pcap: mangled Call-ID and CSeq bytes split 4 "
        "calls into 9 Call-IDs with INVITE transactions",
        all_calls_from("192.168.1.2"),
    ),
}




# DTMF digits that INDEX.md names, in call order (RFC 4733 in RTP).
DTMF = {
    "goffinet-sip_captures/voip-extension.pcap": "204",
    "lundgrel-sipp-scenarios/sipp_uac_Media_DTMF_Speex.pcap": "98765#",
}


def main():
    cli, capture = sys.argv[1], sys.argv[2]
    started = prepare(cli, capture, "Calls", ["calls"], "calls")
    if isinstance(started, int):
        return started
    _, want, calls = started
    got = [c for c in calls if c["kind"] == "call"]
    delta, why, check = KNOWN.get(capture, (0, None, None))
    ok = True
    if len(got) != want + delta:
        print(f"FAIL: {len(got)} calls, INDEX.md says {want}"
              + (f" and {delta:+d} are explained ({why})" if why else ""))
        for c in got:
            print(f"  call {c['id']}: {c['call_ids']}")
        ok = False
    if check:
        err = check(calls)
        if err:
            print(f"FAIL: {err}")
            ok = False
    if capture in DTMF:
        digits = "".join(d["digit"] for c in got for d in c["dtmf"])
        if digits != DTMF[capture]:
            print(f"FAIL: DTMF {digits!r}, expected {DTMF[capture]!r}")
            ok = False
    print(f"{capture}: {len(got)} calls ({sum(len(c['call_ids']) for c in got)} Call-IDs); "
          f"INDEX.md {want}" + (f"; explained: {why}" if why else ""))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
