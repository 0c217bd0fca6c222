<?php
/**
 * Tollgate postback verification for a merchant's PHP code (PHP 7.2+, no extensions beyond the
 * defaults: hash, json). Copy this file into your shop. Same checks and results as
 * verify-postback.mjs (Node) and verify_postback.py; all three pass postback-vectors.json.
 *
 *   require __DIR__ . '/verify_postback.php';
 *   $result = tollgate_verify_postback(null, file_get_contents('php://input'), getenv('TOLLGATE_SECRET_KEY'));
 *   if (!$result['ok']) { http_response_code(400); exit($result['reason']); }
 *   if ($result['test_mode']) { ... }   // a test-mode invoice: never ship goods for it
 *   $payload = $result['payload'];       // invoice_id, status, amount_crypto, currency, order_id, invoice_info, event_id...
 *
 * $headers: null reads $_SERVER (HTTP_TOLLGATE_SIGNATURE, CONTENT_TYPE); or an array such as
 * getallheaders() or a PSR-7 $request->getHeaders() (names in any case, values strings or lists).
 * $rawBody: the body exactly as received (php://input), never a re-encoded $_POST.
 *
 * What it checks:
 * - `Tollgate-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>]`: HMAC-SHA256 with the project's
 *   secret key over `<t>.<raw body>`, compared with hash_equals; `t` within tolerance_seconds (300)
 *   of now. During a key rotation grace the header carries one v1 per valid secret: pass yours, or
 *   [new, old].
 * - Only with 'allow_token_only' => true and no header: CryptoCloud's `token` (HS256 JWT, `exp`,
 *   `id` == `invoice_id`). The token does not sign the body: amounts and statuses are then unauthenticated.
 *
 * Options: 'tolerance_seconds' (300), 'allow_token_only' (false), 'now' (unix seconds, for tests).
 * It never throws on bad input: ['ok' => false, 'reason' => ...] with one of TOLLGATE_VERIFY_REASONS.
 *
 * `php verify_postback.php --vectors postback-vectors.json` prints each vector's result as JSON.
 */

const TOLLGATE_VERIFY_REASONS = [
    'missing_secret', 'raw_body_required', 'unreadable_request', 'missing_signature', 'malformed_signature',
    'timestamp_outside_tolerance', 'signature_mismatch', 'malformed_token', 'token_signature_mismatch',
    'token_expired', 'token_id_mismatch', 'malformed_body',
];

/**
 * @param array|null   $headers
 * @param string       $rawBody
 * @param string|array $secret  the project's secret key, or [new, old] during a rotation
 * @param array        $options
 * @return array ['ok' => true, 'payload' => array, 'test_mode' => bool, 'verified_by' => 'signature'|'token'] or ['ok' => false, 'reason' => string]
 */
function tollgate_verify_postback($headers, $rawBody, $secret, array $options = [])
{
    try {
        return tollgate_verify_postback_unsafe($headers, $rawBody, $secret, $options);
    } catch (\Throwable $e) {
        return ['ok' => false, 'reason' => 'unreadable_request'];
    }
}

function tollgate_verify_postback_unsafe($headers, $rawBody, $secret, array $options)
{
    $fail = function ($reason) { return ['ok' => false, 'reason' => $reason]; };
    $secrets = array_values(array_filter(is_array($secret) ? $secret : [$secret], function ($s) { return is_string($s) && $s !== ''; }));
    if (!$secrets) return $fail('missing_secret');
    if (is_array($rawBody) || is_object($rawBody)) return $fail('raw_body_required');
    if (!is_string($rawBody)) return $fail('unreadable_request');
    $header = tollgate_header($headers, 'tollgate-signature', 'HTTP_TOLLGATE_SIGNATURE');
    $contentType = (string) tollgate_header($headers, 'content-type', 'CONTENT_TYPE');
    $tolerance = isset($options['tolerance_seconds']) ? $options['tolerance_seconds'] : 300;
    $now = isset($options['now']) ? $options['now'] : time();

    if ($header !== null) {
        $parsed = tollgate_parse_signature_header($header);
        if ($parsed === null) return $fail('malformed_signature');
        if (abs($now - $parsed['t']) > $tolerance) return $fail('timestamp_outside_tolerance');
        $matched = false;
        foreach ($secrets as $s) {
            $expected = hash_hmac('sha256', $parsed['t'] . '.' . $rawBody, $s);
            // Every pair is compared: the time taken does not tell which matched.
            foreach ($parsed['signatures'] as $v1) if (hash_equals($expected, strtolower($v1))) $matched = true;
        }
        if (!$matched) return $fail('signature_mismatch');
        $payload = tollgate_parse_body($rawBody, $contentType);
        if ($payload === null) return $fail('malformed_body');
        return ['ok' => true, 'payload' => $payload, 'test_mode' => tollgate_test_mode($payload), 'verified_by' => 'signature'];
    }

    if (empty($options['allow_token_only'])) return $fail('missing_signature');
    $payload = tollgate_parse_body($rawBody, $contentType);
    if ($payload === null) return $fail('malformed_body');
    if (!isset($payload['token']) || !is_string($payload['token']) || $payload['token'] === '') return $fail('missing_signature');
    $claims = tollgate_verify_token($payload['token'], $secrets, $now);
    if (isset($claims['__reason'])) return $fail($claims['__reason']);
    // Strings only (the sender signs the id as a string): no number or boolean spelled differently by each language.
    $id = isset($claims['id']) ? $claims['id'] : null;
    $invoiceId = isset($payload['invoice_id']) ? $payload['invoice_id'] : '';
    if (!is_string($id) || !is_string($invoiceId) || $id !== $invoiceId) return $fail('token_id_mismatch');
    return ['ok' => true, 'payload' => $payload, 'test_mode' => tollgate_test_mode($payload), 'verified_by' => 'token'];
}

/** Case-insensitive; a header given twice is returned as '' (refused as malformed). */
function tollgate_header($headers, $name, $serverKey)
{
    if ($headers === null) return isset($_SERVER[$serverKey]) ? (string) $_SERVER[$serverKey] : null;
    $found = [];
    foreach ((array) $headers as $k => $v) {
        if (strtolower((string) $k) !== $name) continue;
        foreach (is_array($v) ? $v : [$v] as $one) if ($one !== null) $found[] = (string) $one;
    }
    if (!$found) return null;
    return count($found) === 1 ? $found[0] : '';
}

function tollgate_parse_signature_header($header)
{
    $t = null;
    $signatures = [];
    foreach (explode(',', $header) as $part) {
        $eq = strpos($part, '=');
        if ($eq === false) continue;
        // HTTP's optional whitespace only (space, tab), as every recipe trims.
        $key = trim(substr($part, 0, $eq), " \t");
        $value = trim(substr($part, $eq + 1), " \t");
        if ($key === 't') {
            if ($t !== null || !preg_match('/^[0-9]{1,12}\z/', $value)) return null;
            $t = (int) $value;
        } elseif ($key === 'v1') {
            if (!preg_match('/^[0-9a-fA-F]{64}\z/', $value)) return null;
            $signatures[] = $value;
        }
    }
    return ($t !== null && $signatures) ? ['t' => $t, 'signatures' => $signatures] : null;
}

function tollgate_b64url_decode($text)
{
    $decoded = base64_decode(strtr($text, '-_', '+/') . str_repeat('=', (4 - strlen($text) % 4) % 4), true);
    return $decoded === false ? '' : $decoded;
}

function tollgate_json_object($text)
{
    // Only a JSON object, never a list or a scalar.
    if (substr(ltrim($text), 0, 1) !== '{') return null;
    $value = json_decode($text, true);
    return is_array($value) ? $value : null;
}

/** HS256 only (never `none` or another algorithm); `exp`, when present, must be in the future. */
function tollgate_verify_token($token, array $secrets, $now)
{
    if (!preg_match('/^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\z/', $token, $m)) return ['__reason' => 'malformed_token'];
    // A base64url segment is never 1 modulo 4 long.
    foreach ([$m[1], $m[2], $m[3]] as $segment) if (strlen($segment) % 4 === 1) return ['__reason' => 'malformed_token'];
    $header = tollgate_json_object(tollgate_b64url_decode($m[1]));
    $claims = tollgate_json_object(tollgate_b64url_decode($m[2]));
    if ($header === null || !isset($header['alg']) || $header['alg'] !== 'HS256' || $claims === null) return ['__reason' => 'malformed_token'];
    if (array_key_exists('exp', $claims) && !(is_int($claims['exp']) || is_float($claims['exp']))) return ['__reason' => 'malformed_token'];
    $given = tollgate_b64url_decode($m[3]);
    $matched = false;
    foreach ($secrets as $s) if (hash_equals(hash_hmac('sha256', $m[1] . '.' . $m[2], $s, true), $given)) $matched = true;
    if (!$matched) return ['__reason' => 'token_signature_mismatch'];
    if (array_key_exists('exp', $claims) && $claims['exp'] <= $now) return ['__reason' => 'token_expired'];
    return $claims;
}

/** Fields of a JSON or form body; a form's nested objects arrive as JSON strings. */
function tollgate_parse_body($body, $contentType)
{
    if (stripos(ltrim($contentType, " \t"), 'application/x-www-form-urlencoded') === 0) {
        // The Content-Type is not signed: a body starting with { is never read as a form (see verify-postback.mjs).
        if (substr(ltrim($body, " \t\r\n"), 0, 1) === '{') return null;
        $fields = [];
        foreach ($body === '' ? [] : explode('&', $body) as $pair) {
            $kv = explode('=', $pair, 2);
            $fields[urldecode($kv[0])] = isset($kv[1]) ? urldecode($kv[1]) : '';
        }
        foreach (['invoice_info', 'payment', 'static_wallet'] as $key) {
            if (isset($fields[$key]) && is_string($fields[$key]) && substr($fields[$key], 0, 1) === '{') {
                $decoded = tollgate_json_object($fields[$key]);
                if ($decoded !== null) $fields[$key] = $decoded;
            }
        }
        return $fields;
    }
    return tollgate_json_object($body);
}

/** True when the top-level field or invoice_info says so (JSON true, or "true"/"1" in a form). */
function tollgate_test_mode(array $payload)
{
    $yes = function ($v) { return $v === true || $v === 'true' || $v === '1' || ((is_int($v) || is_float($v)) && $v == 1); };
    if (isset($payload['test_mode']) && $yes($payload['test_mode'])) return true;
    return isset($payload['invoice_info']) && is_array($payload['invoice_info']) && isset($payload['invoice_info']['test_mode']) && $yes($payload['invoice_info']['test_mode']);
}

if (PHP_SAPI === 'cli' && isset($argv) && realpath($argv[0]) === __FILE__) {
    if (count($argv) !== 3 || $argv[1] !== '--vectors') {
        fwrite(STDERR, "usage: php verify_postback.php --vectors postback-vectors.json\n");
        exit(2);
    }
    $doc = json_decode(file_get_contents($argv[2]), true);
    $out = [];
    foreach ($doc['vectors'] as $v) {
        $o = $v['options'];
        $options = ['now' => $o['now']];
        if (isset($o['tolerance_seconds'])) $options['tolerance_seconds'] = $o['tolerance_seconds'];
        if (isset($o['allow_token_only'])) $options['allow_token_only'] = $o['allow_token_only'];
        $out[] = ['name' => $v['name'], 'result' => tollgate_verify_postback($v['request']['headers'], $v['request']['body'], $v['secret'], $options)];
    }
    // A form value that decodes to invalid UTF-8 must not blank the whole output.
    echo json_encode($out, JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE);
}
