"""Tollgate postback verification for a merchant's Python code (3.8+, standard library only).

Copy this file into your shop. Same checks and results as verify-postback.mjs (Node) and
verify_postback.php; all three pass the published vectors in postback-vectors.json.

    from verify_postback import verify_postback

    # Flask:  request.headers, request.get_data()     Django: request.headers, request.body
    result = verify_postback(request.headers, request.get_data(), os.environ["TOLLGATE_SECRET_KEY"])
    if not result["ok"]:
        return result["reason"], 400
    if result["test_mode"]:
        ...  # a test-mode invoice: never ship goods for it
    payload = result["payload"]  # invoice_id, status, amount_crypto, currency, order_id, invoice_info, event_id...

What it checks:
- `Tollgate-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>]`: HMAC-SHA256 with the project's secret
  key over `<t>.<raw body>`, compared in constant time; `t` within `tolerance_seconds` (300) of now.
  During a key rotation grace the header carries one v1 per valid secret: pass yours, or [new, old].
- Only with allow_token_only=True and no header: CryptoCloud's `token` (HS256 JWT, `exp`, `id` ==
  `invoice_id`). The token does not sign the body: amounts and statuses are then unauthenticated.

It never raises on bad input: {"ok": False, "reason": ...} with one of REASONS.

Run `python3 verify_postback.py --vectors postback-vectors.json` to print each vector's result as JSON.
"""

import base64
import hashlib
import hmac
import json
import re
import sys
import time
from urllib.parse import parse_qsl

REASONS = (
    "missing_secret",
    "raw_body_required",
    "unreadable_request",
    "missing_signature",
    "malformed_signature",
    "timestamp_outside_tolerance",
    "signature_mismatch",
    "malformed_token",
    "token_signature_mismatch",
    "token_expired",
    "token_id_mismatch",
    "malformed_body",
)
DEFAULT_TOLERANCE_SECONDS = 300
_HEX_SHA256 = re.compile(r"^[0-9a-fA-F]{64}\Z")
_T = re.compile(r"^[0-9]{1,12}\Z")
_JWT = re.compile(r"^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\Z")
_OWS = " \t"  # HTTP's optional whitespace only: every recipe trims exactly these, never Unicode spaces


def _fail(reason):
    return {"ok": False, "reason": reason}


def verify_postback(headers, raw_body, secret, tolerance_seconds=DEFAULT_TOLERANCE_SECONDS, allow_token_only=False, now=None):
    """Verifies a Tollgate (CryptoCloud-compatible) postback. `secret`: a string, or [new, old]."""
    try:
        return _verify(headers, raw_body, secret, tolerance_seconds, allow_token_only, now)
    except Exception:  # never raise on hostile input
        return _fail("unreadable_request")


def _verify(headers, raw_body, secret, tolerance_seconds, allow_token_only, now):
    secrets = [s for s in (secret if isinstance(secret, (list, tuple)) else [secret]) if isinstance(s, str) and s]
    if not secrets:
        return _fail("missing_secret")
    if isinstance(raw_body, str):
        body = raw_body.encode("utf-8")
    elif isinstance(raw_body, (bytes, bytearray, memoryview)):
        body = bytes(raw_body)
    elif raw_body is None:
        return _fail("unreadable_request")
    else:
        return _fail("raw_body_required")  # a parsed dict: the signature is over the bytes as received
    header = _header(headers, "tollgate-signature")
    content_type = _header(headers, "content-type") or ""
    if tolerance_seconds is None:
        tolerance_seconds = DEFAULT_TOLERANCE_SECONDS
    now = int(time.time()) if now is None else now

    if header is not None:
        parsed = _parse_signature_header(header)
        if parsed is None:
            return _fail("malformed_signature")
        t, signatures = parsed
        if abs(now - t) > tolerance_seconds:
            return _fail("timestamp_outside_tolerance")
        matched = False
        for s in secrets:
            expected = hmac.new(s.encode("utf-8"), str(t).encode("ascii") + b"." + body, hashlib.sha256).digest()
            for v1 in signatures:  # every pair is compared: the time taken does not tell which matched
                if hmac.compare_digest(bytes.fromhex(v1), expected):
                    matched = True
        if not matched:
            return _fail("signature_mismatch")
        payload = _parse_body(body, content_type)
        if payload is None:
            return _fail("malformed_body")
        return {"ok": True, "payload": payload, "test_mode": _test_mode(payload), "verified_by": "signature"}

    if not allow_token_only:
        return _fail("missing_signature")
    payload = _parse_body(body, content_type)
    if payload is None:
        return _fail("malformed_body")
    token = payload.get("token")
    if not isinstance(token, str) or token == "":
        return _fail("missing_signature")
    claims = _verify_token(token, secrets, now)
    if "reason" in claims:
        return _fail(claims["reason"])
    # Strings only (the sender signs the id as a string): no number or boolean spelled differently by each language.
    claim_id = claims.get("id")
    invoice_id = payload.get("invoice_id")
    invoice_id = "" if invoice_id is None else invoice_id
    if not isinstance(claim_id, str) or not isinstance(invoice_id, str) or claim_id != invoice_id:
        return _fail("token_id_mismatch")
    return {"ok": True, "payload": payload, "test_mode": _test_mode(payload), "verified_by": "token"}


def _header(headers, name):
    """Case-insensitive; a header given twice is returned as "" (refused as malformed)."""
    if headers is None:
        return None
    found = []
    for key, value in headers.items():
        if str(key).lower() == name:
            found.extend(v for v in (value if isinstance(value, (list, tuple)) else [value]) if v is not None)
    if not found:
        return None
    return str(found[0]) if len(found) == 1 else ""


def _parse_signature_header(header):
    t = None
    signatures = []
    for part in header.split(","):
        if "=" not in part:
            continue
        key, value = part.split("=", 1)
        key, value = key.strip(_OWS), value.strip(_OWS)
        if key == "t":
            if t is not None or not _T.match(value):
                return None
            t = int(value)
        elif key == "v1":
            if not _HEX_SHA256.match(value):
                return None
            signatures.append(value)
    return (t, signatures) if t is not None and signatures else None


def _b64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _no_constant(name):
    raise ValueError(name + " is not JSON")  # NaN, Infinity: Python's json accepts them, JSON (and Node, PHP) do not


def _json_object(data):
    try:
        value = json.loads(data, parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError, RecursionError):  # too deep: refused like PHP's depth limit
        return None
    return value if isinstance(value, dict) else None


def _verify_token(token, secrets, now):
    """HS256 only (never `none` or another algorithm); `exp`, when present, must be in the future."""
    m = _JWT.match(token)
    # A base64url segment is never 1 modulo 4 long.
    if not m or any(len(segment) % 4 == 1 for segment in m.groups()):
        return {"reason": "malformed_token"}
    header = _json_object(_b64url(m.group(1)))
    claims = _json_object(_b64url(m.group(2)))
    if header is None or header.get("alg") != "HS256" or claims is None:
        return {"reason": "malformed_token"}
    exp = claims.get("exp")
    if "exp" in claims and (isinstance(exp, bool) or not isinstance(exp, (int, float))):
        return {"reason": "malformed_token"}
    given = _b64url(m.group(3))
    signing_input = (m.group(1) + "." + m.group(2)).encode("ascii")
    matched = False
    for s in secrets:
        if hmac.compare_digest(given, hmac.new(s.encode("utf-8"), signing_input, hashlib.sha256).digest()):
            matched = True
    if not matched:
        return {"reason": "token_signature_mismatch"}
    if exp is not None and exp <= now:
        return {"reason": "token_expired"}
    return claims


def _parse_body(body, content_type):
    """Fields of a JSON or form body; a form's nested objects arrive as JSON strings."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    # The Content-Type is not signed: a body starting with { is never read as a form (see verify-postback.mjs).
    if content_type.strip(_OWS).lower().startswith("application/x-www-form-urlencoded"):
        if text.lstrip(" \t\r\n").startswith("{"):
            return None
        fields = dict(parse_qsl(text, keep_blank_values=True))
        for key in ("invoice_info", "payment", "static_wallet"):
            if isinstance(fields.get(key), str) and fields[key].startswith("{"):
                decoded = _json_object(fields[key])
                if decoded is not None:
                    fields[key] = decoded
        return fields
    return _json_object(text)


def _test_mode(payload):
    """True when the top-level field or invoice_info says so (JSON true, or "true"/"1" in a form)."""
    def yes(v):
        return v is True or v in ("true", "1") or (isinstance(v, (int, float)) and not isinstance(v, bool) and v == 1)
    info = payload.get("invoice_info")
    return yes(payload.get("test_mode")) or (isinstance(info, dict) and yes(info.get("test_mode")))


def _run_vectors(path):
    with open(path, encoding="utf-8") as f:
        vectors = json.load(f)["vectors"]
    out = []
    for v in vectors:
        o = v["options"]
        r = verify_postback(v["request"]["headers"], v["request"]["body"], v["secret"], tolerance_seconds=o.get("tolerance_seconds"), allow_token_only=o.get("allow_token_only", False), now=o["now"])
        out.append({"name": v["name"], "result": r})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--vectors":
        _run_vectors(sys.argv[2])
    else:
        sys.exit("usage: verify_postback.py --vectors postback-vectors.json")
