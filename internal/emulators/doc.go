// Package emulators holds httptest-ready emulators of the four vendors of
// the seed documents (000 Tapkey, 002 sys303, 003 Azure AD China, 004
// maptable; digested in VENDORS.md), each on one http.Handler
// serving its token endpoint(s) and a small JSON API at the vendor's own
// paths. They enforce what the vendor's document says it checks, answer
// with the vendor's documented success and error bodies, judge time by an
// injected clock, and count at the server what they saw (Stats), so a test
// can say "exactly one token request" and mean it.
//
// # In tests
//
//	clock := newFakeClock()                       // any func() time.Time
//	emu, _ := emulators.New("maptable", emulators.Options{Now: clock.Now})
//	srv := httptest.NewServer(emu.Handler())      // 127.0.0.1, random port
//	defer srv.Close()
//	for k, v := range emu.Env() { t.Setenv(k, v) }
//	cfg := emu.Config(srv.URL)                    // a keyhole [providers.maptable] table
//	...
//	if got := emu.Stats().TokenRequests(); got != 1 { ... }
//
// # From a shell
//
//	go run ./internal/emulators/cmd/emulate [--addr 127.0.0.1:0] [--token-ttl 90s] NAME... | all
//
// starts the named emulators on loopback (one port each; a non-loopback
// address is refused), prints for each the export lines and the keyhole
// config table to paste, and logs one line per request, without secrets, to
// stderr until interrupted.
//
// # The emulators
//
// Names: tapkey, sys303, azurecn, maptable. Defaults (Options zero value):
//
//	name      env vars (the config's ${VAR}s)           default values                                   token lifetime
//	tapkey    TAPKEY_CLIENT_ID, TAPKEY_CLIENT_SECRET    tapkey-emulator-client, tapkey-emulator-secret+/=  1 h (expires_in 3600)
//	sys303    SYS303_API_KEY, SYS303_SECRET_KEY         Fq5eR3LT0vuXV, 0rDSjzQ20XUj5itV6WRtz (seed 002)    30 days (absolute "expires")
//	azurecn   AZURECN_TENANT, AZURECN_CLIENT_ID,        387c56a8-cf86-45de-b9f5-b4de88cac054 (seed 003),  3599 s
//	          AZURECN_CLIENT_SECRET, AZURECN_RESOURCE   5b0f7a3c-9e2d-4c61-8a47-1f3e6d2b9c80,
//	                                                    Kx8Q~emulator.Secret_0123456789abcdefABCDEF,
//	                                                    d6b7c858-55fa-4d04-85a6-131af690abd4 (seed 003)
//	maptable  MAPTABLE_APP_ID, MAPTABLE_APP_SECRET      appid-in-profile-page,                            8 h (JWT exp only)
//	                                                    6d3a45095e1127d99338f668ccec1f35ff60148a (seed 004)
//
// Routes:
//
//	tapkey    POST /connect/token; GET /api/v1/Owners, GET /api/v1/Owners/{id}/Grants
//	sys303    POST /api/v1/oauth/token; GET /api/v1/account/balance, POST /api/v1/ocr/general_basic
//	azurecn   POST /{tenant}/oauth2/v2.0/token; GET /api/devcenter/apps, GET /api/devcenter/apps/{id}
//	maptable  POST /open/api/v1/auth/, POST /open/api/v1/token/refresh/;
//	          GET /open/api/v1/workspaces/, GET /open/api/v1/workspaces/{id}/
//
// What each enforces is written next to the rule, citing its seed; what
// VENDORS.md calls an assumption is marked "Assumption (VENDORS.md)", and
// what the documents leave open and the emulator decides is marked
// "Emulator choice". All tokens are HS256 JWTs signed with a random
// per-instance key: well-formed and decodable, verifiable by nobody else.
// Expiry has no leeway (the token is dead from its expiry instant), and a
// token is valid only if this emulator instance issued it.
package emulators
