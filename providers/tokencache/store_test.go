package tokencache_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
	"go.uber.org/goleak"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/secret"
	"github.com/keyhole-sh/keyhole/providers/tokencache"
)

func TestMain(m *testing.M) {
	// The lock test re-executes this binary as a helper process that holds
	// a lock; it must do only that.
	if os.Getenv(helperEnv) != "" {
		os.Exit(helperMain())
	}
	goleak.VerifyTestMain(m)
}

// Values that must survive a round trip and never show up in an error.
const (
	refreshValue = "rt-9f8e7d6c5b4a-refresh-secret"
	opaqueValue  = "opaque-0123456789abcdef-access"
)

// jwt builds an unsigned JWT with the given claims: the store only decodes
// claims, it never verifies them.
func jwt(t *testing.T, claims map[string]any) string {
	t.Helper()
	b, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc(b) + ".c2ln"
}

func fullToken(t *testing.T) *providers.Token {
	t.Helper()
	zone := time.FixedZone("CEST", 2*3600)
	exp := time.Date(2031, 5, 6, 7, 8, 9, 123456789, zone)
	access := jwt(t, map[string]any{"sub": "demo-cc", "aud": "demo-api", "exp": exp.Unix(), "scope": "api:read"})
	return &providers.Token{
		Access:           secret.New(access),
		Refresh:          secret.New(refreshValue),
		Type:             "Bearer",
		Expiry:           exp,
		ExpirySource:     providers.ExpiryJWT,
		Obtained:         exp.Add(-90 * time.Second),
		Scopes:           []string{"api:read", "api:write"},
		ScopesFromServer: true,
		Source:           providers.SourceFetched,
	}
}

// opaqueToken has no refresh token, no scopes and an unknown expiry.
func opaqueToken() *providers.Token {
	return &providers.Token{
		Access:   secret.New(opaqueValue),
		Type:     "bearer",
		Obtained: time.Date(2030, 1, 2, 3, 4, 5, 6, time.UTC),
		Source:   providers.SourceRefreshed,
	}
}

type storeCase struct {
	name string
	open func(t *testing.T) providers.Store
}

// stores are the three Stores, each fresh and hermetic. The keyring one runs
// on go-keyring's in-memory mock: no test here touches a real keyring.
func stores() []storeCase {
	return []storeCase{
		{"memory", func(t *testing.T) providers.Store { return tokencache.NewMemory() }},
		{"file", func(t *testing.T) providers.Store { return newFile(t) }},
		{"keyring", func(t *testing.T) providers.Store {
			mockKeyring(t)
			s, notice := tokencache.NewKeyring("keyhole-test", newFile(t))
			if notice != "" {
				t.Fatalf("mocked keyring: unexpected notice %q", notice)
			}
			return s
		}},
	}
}

// eachStore runs test, as a subtest, on each of the three Stores, fresh.
func eachStore(t *testing.T, test func(t *testing.T, s providers.Store)) {
	for _, sc := range stores() {
		t.Run(sc.name, func(t *testing.T) { test(t, sc.open(t)) })
	}
}

func newFile(t *testing.T, opts ...tokencache.FileOption) *tokencache.File {
	t.Helper()
	f, err := tokencache.NewFile(filepath.Join(t.TempDir(), "state", "keyhole"), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestRoundTrip(t *testing.T) {
	eachStore(t, func(t *testing.T, s providers.Store) {
		want := fullToken(t)
		if err := s.Save("demo-cc@00ff", want); err != nil {
			t.Fatal(err)
		}
		if err := s.Save("opaque@11ee", opaqueToken()); err != nil {
			t.Fatal(err)
		}

		got, err := s.Load("demo-cc@00ff")
		if err != nil || got == nil {
			t.Fatalf("Load = %v, %v", got, err)
		}
		if got.Access.Reveal() != want.Access.Reveal() || got.Refresh.Reveal() != refreshValue {
			t.Error("secrets changed in the round trip")
		}
		if got.Type != "Bearer" || got.ExpirySource != providers.ExpiryJWT || !got.ScopesFromServer {
			t.Errorf("fields changed: %+v", got)
		}
		if !got.Expiry.Equal(want.Expiry) || got.Expiry.Nanosecond() != 123456789 {
			t.Errorf("Expiry = %v, want %v", got.Expiry, want.Expiry)
		}
		if !got.Obtained.Equal(want.Obtained) {
			t.Errorf("Obtained = %v, want %v", got.Obtained, want.Obtained)
		}
		if len(got.Scopes) != 2 || got.Scopes[1] != "api:write" {
			t.Errorf("Scopes = %v", got.Scopes)
		}
		if got.Source != providers.SourceCache {
			t.Errorf("Source = %q, want cache", got.Source)
		}
		if got.Claims == nil || got.Claims.Subject != "demo-cc" || len(got.Claims.Audience) != 1 || got.Claims.Audience[0] != "demo-api" {
			t.Errorf("Claims not re-derived: %+v", got.Claims)
		}

		op, err := s.Load("opaque@11ee")
		if err != nil || op == nil {
			t.Fatalf("Load = %v, %v", op, err)
		}
		if !op.Expiry.IsZero() {
			t.Errorf("unknown expiry became %v", op.Expiry)
		}
		if op.Claims != nil || !op.Refresh.IsZero() || op.Scopes != nil || op.Access.Reveal() != opaqueValue {
			t.Errorf("opaque token changed: %+v", op)
		}
	})
}

func TestMissingAndDelete(t *testing.T) {
	eachStore(t, func(t *testing.T, s providers.Store) {
		if tok, err := s.Load("nobody@00"); tok != nil || err != nil {
			t.Fatalf("Load(missing) = %v, %v; want nil, nil", tok, err)
		}
		if err := s.Delete("nobody@00"); err != nil {
			t.Fatalf("Delete(missing) = %v", err)
		}
		if err := s.Save("k@1", opaqueToken()); err != nil {
			t.Fatal(err)
		}
		if err := s.Save("k@1", fullToken(t)); err != nil { // replaces
			t.Fatal(err)
		}
		if tok, _ := s.Load("k@1"); tok == nil || tok.Refresh.Reveal() != refreshValue {
			t.Fatalf("Save did not replace: %+v", tok)
		}
		if err := s.Delete("k@1"); err != nil {
			t.Fatal(err)
		}
		if tok, err := s.Load("k@1"); tok != nil || err != nil {
			t.Fatalf("Load after Delete = %v, %v", tok, err)
		}
		if err := s.Save("k@1", nil); err == nil {
			t.Error("Save(nil) succeeded")
		}
	})
}

// The memory store must not share slices with its callers, as the others
// cannot (they serialize).
func TestMemoryCopies(t *testing.T) {
	s := tokencache.NewMemory()
	tok := fullToken(t)
	if err := s.Save("k", tok); err != nil {
		t.Fatal(err)
	}
	tok.Scopes[0] = "changed"
	got, _ := s.Load("k")
	got.Scopes[1] = "changed too"
	again, _ := s.Load("k")
	if again.Scopes[0] != "api:read" || again.Scopes[1] != "api:write" {
		t.Errorf("memory store shares slices: %v", again.Scopes)
	}
	if tok.Source != providers.SourceFetched {
		t.Error("Load changed the caller's token")
	}
}

func TestKeyringStoresTheFileRecord(t *testing.T) {
	mockKeyring(t)
	f := newFile(t)
	s, _ := tokencache.NewKeyring("keyhole-test", f)
	if err := s.Save("demo-cc@00ff", fullToken(t)); err != nil {
		t.Fatal(err)
	}
	v, err := keyring.Get("keyhole-test", "demo-cc@00ff")
	if err != nil {
		t.Fatal(err)
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(v), &rec); err != nil || rec["version"] != float64(1) || rec["refresh_token"] != refreshValue {
		t.Errorf("keyring value is not the file record: %v (%v)", rec, err)
	}
	if _, err := os.Stat(f.Path("demo-cc@00ff")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("keyring store also wrote a file: %v", err)
	}
}

// A token cached in the file while the keyring was unavailable is still
// found, and moves to the keyring on the next Save.
func TestKeyringFallsBackToFileToken(t *testing.T) {
	mockKeyring(t)
	f := newFile(t)
	if err := f.Save("k@1", opaqueToken()); err != nil {
		t.Fatal(err)
	}
	s, _ := tokencache.NewKeyring("keyhole-test", f)
	got, err := s.Load("k@1")
	if err != nil || got == nil || got.Access.Reveal() != opaqueValue {
		t.Fatalf("Load = %v, %v", got, err)
	}
	if err := s.Save("k@1", got); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(f.Path("k@1")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("plain-text copy left behind after moving to the keyring: %v", err)
	}
	if _, err := keyring.Get("keyhole-test", "k@1"); err != nil {
		t.Errorf("token not in the keyring: %v", err)
	}
}

func TestKeyringCorruptEntry(t *testing.T) {
	mockKeyring(t)
	s, _ := tokencache.NewKeyring("keyhole-test", newFile(t))
	if err := keyring.Set("keyhole-test", "k@1", `{"version":1,"access_token":"`+opaqueValue); err != nil {
		t.Fatal(err)
	}
	tok, err := s.Load("k@1")
	if tok != nil || !errors.Is(err, tokencache.ErrUnreadable) {
		t.Fatalf("Load = %v, %v; want ErrUnreadable", tok, err)
	}
	assertNoSecret(t, err)
	if !strings.Contains(err.Error(), `keyring entry "k@1"`) {
		t.Errorf("error does not say where: %v", err)
	}
}

func TestScrub(t *testing.T) {
	err := tokencache.Scrub("saving", errors.New("security: bad item "+opaqueValue), opaqueValue)
	assertNoSecret(t, err)
	cause := errors.New("dbus: no such interface")
	if err := tokencache.Scrub("saving", cause, opaqueValue); !errors.Is(err, cause) {
		t.Errorf("a clean error is not wrapped: %v", err)
	}
}

func assertNoSecret(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		t.Fatal("want an error")
	}
	for _, s := range []string{opaqueValue, refreshValue, "opaque-", "rt-9f8e"} {
		if strings.Contains(err.Error(), s) {
			t.Fatalf("error carries a secret: %v", err)
		}
	}
}
