// Package demo is keyhole's built-in demo: a real OAuth 2.0 authorization
// server built on github.com/zitadel/oidc/v3's op package plus a small
// sample API, served in-process on a loopback address only.
//
// # Clients
//
// The clients are fixed and documented so that the demo providers are plain
// configuration (see [Config]):
//
//   - [CCClientID] / [CCClientSecret]: a confidential client for the
//     client_credentials grant. It authenticates with client_secret_basic or
//     client_secret_post and may request api:read and api:write; asking for
//     no scope grants both (RFC 6749 §3.3 lets the server pick a default).
//     It may also call the introspection endpoint.
//   - [PKCEClientID]: a public client (no secret) for authorization_code with
//     PKCE S256 (required; "plain" and a missing challenge are refused) and
//     refresh_token. Its redirect URI is http://127.0.0.1:PORT/callback or
//     http://[::1]:PORT/callback with any PORT (RFC 8252 §7.3). A refresh
//     token is issued only when offline_access is granted.
//   - [DeviceClientID]: a public client (no secret) for the device
//     authorization grant (RFC 8628) and refresh_token, with the same
//     scopes and the same offline_access rule as demo-pkce.
//   - [JWTClientID]: a client that authenticates with a signed JWT
//     (private_key_jwt) for client_credentials, and may use the JWT-bearer
//     grant (RFC 7523 §2.1). op verifies its assertions (signature by kid,
//     aud the issuer, exp, iat, iss = sub) against the public halves of
//     [JWTClientKey] (ES256, [JWTClientKeyID]) and [JWTClientRSAKey] (RS256
//     or PS256, [JWTClientRSAKeyID]); api:read and api:write.
//   - [ExchangeClientID] / [ExchangeClientSecret]: a confidential client
//     (client_secret_basic) for token exchange (RFC 8693). It trades an
//     access token of this server for one of its own: the subject stays,
//     the scopes may only narrow the subject token's (api:read, api:write),
//     an actor token adds the act claim, and an audience other than
//     demo-api is refused with invalid_target. No demo provider uses it;
//     a config names it (see the README).
//
// # Authorization server
//
//	POST /oauth2/token                 client_credentials, authorization_code, refresh_token,
//	                                   urn:ietf:params:oauth:grant-type:device_code,
//	                                   urn:ietf:params:oauth:grant-type:jwt-bearer,
//	                                   urn:ietf:params:oauth:grant-type:token-exchange
//	GET  /oauth2/auth                  auto-approves for the user "demo-user"; ?prompt=consent shows a page
//	POST /oauth2/device_authorization  RFC 8628 §3.1: device_code, user_code, verification URIs
//	GET  /device                       the page where the person enters a user code (?user_code= prefills)
//	POST /device                       the person's decision: user_code, csrf_token, action=approve|deny
//	POST /oauth2/revoke                RFC 7009
//	POST /oauth2/introspect            RFC 7662, client_secret_basic
//	GET  /.well-known/openid-configuration, /.well-known/oauth-authorization-server
//	GET  /.well-known/jwks.json
//	GET  /_stats                       request counts per route and per grant (no auth)
//	GET  /openapi.json                 the sample API's OpenAPI 3.1 description (no auth)
//
// # What is op's and what is ours
//
// op parses the requests, authenticates the clients, checks response
// types, codes, PKCE verifiers and refresh tokens, encrypts the codes,
// makes device and user codes and signs the access tokens. The demo keeps
// its own in-memory op.Storage (clients, authorization requests, tokens,
// device authorizations) and its own handlers around op's building
// blocks, because op's router writes every request error to the
// process-wide slog default logger, which would land on keyhole's
// terminal. What op does otherwise, and the demo refuses: "plain" PKCE or
// none, unknown scopes (op drops them silently), redirect URIs other than
// http://127.0.0.1 or http://[::1] (op also takes "localhost" and https),
// and ID tokens (the demo issues none). Where op would redirect to a
// login page, the demo approves at once.
//
// # Device grant
//
// op makes the codes and issues the tokens; the polling answers are the
// storage's, because op's own polling answers any storage error with
// access_denied. A user code is 8 letters from BCDFGHJKLMNPQRSTVWXZ, shown
// as XXXX-XXXX and matched ignoring case, dashes and spaces. Device codes
// live [DefaultDeviceCodeTTL] and the polling interval is
// [DefaultDeviceInterval] unless [Options] says otherwise. Until the person
// decides, polling answers authorization_pending, or slow_down (adding 5 s
// to that code's interval) when it comes sooner than the interval after
// the previous poll; then access_denied, or the tokens exactly once (a
// second exchange is invalid_grant); after expiry, expired_token. /_stats
// counts these token requests under the grant "device_code".
//
// The person's side is a browser's: GET /device?user_code=XXXX-XXXX shows
// the request with Approve and Deny buttons in a form that carries a
// hidden csrf_token; POST /device with user_code, that csrf_token and
// action. A POST without the page's token, or one a browser marks as
// cross-origin, is refused with 403. Tests drive it the same way: there is
// deliberately no Go API to approve a code.
//
// Access tokens are ES256-signed JWTs (RFC 9068 style claims: iss, sub, aud
// "demo-api", exp, iat, nbf, jti, scope, client_id) with a key generated by
// [New], so a client can decode and show them. Their jti is also recorded
// in the storage, so revocation works. They live [DefaultTokenTTL] unless
// [Options.TokenTTL] says otherwise. Refresh tokens are opaque and rotate:
// using one returns a new pair and revokes the old pair; presenting a used
// refresh token again revokes everything issued from that grant (RFC 6819
// §5.2.2.3), as does presenting a used authorization code again.
//
// # Sample API
//
// Every route needs a bearer access token (Authorization: Bearer, or the
// access_token query parameter of RFC 6750 §2.3) and answers 401 with a
// WWW-Authenticate challenge when it is missing, unknown, forged, revoked or
// expired: the API checks the JWT's signature, aud and exp, and asks the
// storage whether its jti was revoked. Routes other than /api/me need scope
// api:read; POST /api/items and DELETE /api/items/{id} need api:write.
// Responses are JSON.
//
//	GET    /api/me              who the token belongs to
//	GET    /api/items?page=N    the 57 fixed items, then those created, 10 a page
//	POST   /api/items           {"name": ..., "tags": [...], "price": ...}: 201, Location /api/items/{id}
//	GET    /api/items/{id}      one item; 404 when unknown
//	DELETE /api/items/{id}      a created item: 204, then 404; a fixed item: 405 with Allow: GET
//	GET    /api/big?mb=N        about N MiB of JSON (1..200), streamed
//	GET    /api/slow?ms=N       answers after N ms (0..60000, default 1000)
//	GET    /api/status/N        answers status N (200..599)
//
// The fixed items are computed from their number, the same in every run.
// Created items (ids itm_0058 up, never reused) are kept in memory for
// the life of the server, the newest 1,000, and listed after the fixed
// ones, so the first pages never change. A new item's name is 1 to 200
// characters after trimming, with at most 10 tags of at most 40
// characters each, which bounds what the store holds.
//
// Deleting a fixed item is 405 rather than 403: RFC 9110 §15.5.6 makes 405
// the answer for a method the resource does not support, whoever asks,
// while this API's 403 means a missing scope, and a client reading it
// would look for a scope that does not exist.
//
// # OpenAPI description
//
// GET [OpenAPIPath] (no token) serves an OpenAPI 3.1 description of the
// sample API, built from memory for this server's base URL and sent with
// Cache-Control: no-store, since the port changes every run. It documents
// every /api operation (operationId, tags, parameters with examples,
// request and response schemas under components/schemas, the 400, 401,
// 403 and 404 answers with their WWW-Authenticate headers) and the OAuth
// 2.0 scheme with the flows the clients above really use:
// clientCredentials, authorizationCode (PKCE S256 is required, which 3.1
// cannot express but the description says), and x-deviceAuthorization,
// because OpenAPI 3.1 has no device flow; it has the shape OpenAPI 3.2
// gave its deviceAuthorization flow. Each operation's security lists the
// scopes its handler checks. openapi_test.go walks every operation against
// a live server and compares the paths with the routes the mux serves, so
// the description cannot drift from the code. [OpenAPI] returns the same
// document without a server.
package demo
