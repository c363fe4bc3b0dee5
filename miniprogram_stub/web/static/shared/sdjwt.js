// SD-JWT (RFC 9901) pieces both pages need, on WebCrypto only: base64url, digests, JWS parts.
// The wallet builds presentations with them; the verifier checks them offline.
const enc = new TextEncoder();

export const COUNTER_AUDIENCE = "yss:counter";
export const CHALLENGE_MAX_AGE = 300;
export const COUNTER_MAX_AGE = 120;
export const CLOCK_SKEW = 60;

export function b64url(bytes) {
  let s = "";
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function b64urlBytes(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
  const s = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

export const b64json = (value) => b64url(enc.encode(JSON.stringify(value)));
export const jsonOf = (text) => JSON.parse(new TextDecoder().decode(b64urlBytes(text)));

export async function sha256b64(text) {
  return b64url(await crypto.subtle.digest("SHA-256", enc.encode(text)));
}

export function randomB64(n = 16) {
  return b64url(crypto.getRandomValues(new Uint8Array(n)));
}

// A compact JWS split into its decoded header and payload, the signing input and the signature bytes.
export function splitJws(token) {
  const parts = token.split(".");
  if (parts.length !== 3) throw new Error("not a JWS");
  return { header: jsonOf(parts[0]), payload: jsonOf(parts[1]), input: enc.encode(`${parts[0]}.${parts[1]}`),
    signature: b64urlBytes(parts[2]) };
}

export async function signEs256(privateKey, header, payload) {
  const input = `${b64json(header)}.${b64json(payload)}`;
  // WebCrypto's ECDSA signature is already r || s, the JOSE form (RFC 7518 §3.4).
  const signature = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, privateKey, enc.encode(input));
  return `${input}.${b64url(signature)}`;
}

export async function verifyEs256(jwk, jws) {
  const key = await crypto.subtle.importKey("jwk", { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y },
    { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
  return crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, jws.signature, jws.input);
}

export async function verifyEdDsa(jwks, jws) {
  const jwk = (jwks.keys || []).find((k) => k.kid === jws.header.kid && k.kty === "OKP" && k.crv === "Ed25519");
  if (!jwk || jws.header.alg !== "EdDSA") return false;
  const key = await crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x }, { name: "Ed25519" },
    false, ["verify"]);
  return crypto.subtle.verify({ name: "Ed25519" }, key, jws.signature, jws.input);
}

// zlib (RFC 1950) both ways: the Compression Streams API calls it "deflate". The QR carries the
// presentation zlib-compressed (as the EU Digital COVID Certificate compresses its payload): ~27% fewer bytes.
export async function deflate(text) {
  const stream = new Blob([enc.encode(text)]).stream().pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// Decompress a status list's zlib (RFC 1950) bits: the Compression Streams API calls zlib "deflate".
export async function inflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
