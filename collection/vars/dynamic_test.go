package vars

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// clock is 2024-02-29 13:04:05.678 UTC, a leap day, so month and year
// offsets show their clamping.
var clock = time.Date(2024, 2, 29, 13, 4, 5, 678_000_000, time.UTC)

func fixed(t *testing.T) Resolver {
	t.Helper()
	return Resolver{
		Now:      func() time.Time { return clock },
		Location: time.FixedZone("CEST", 2*3600),
		Rand:     rand.NewChaCha8([32]byte{1}),
		Getenv: func(name string) (string, bool) {
			v, ok := map[string]string{"API_KEY": "env-key-value", "EMPTY": ""}[name]
			return v, ok
		},
		Vars: Layers{{Vars: map[string]Value{
			"keyName":  Template("API_KEY"),
			"indirect": Template("{{keyName}}"),
			"dotName":  Template("DB_PASSWORD"),
			"blank":    Template(""),
		}}}.Lookup,
	}
}

func TestDynamicTime(t *testing.T) {
	r := fixed(t)
	for _, tc := range []struct{ in, want string }{
		{"{{$timestamp}}", "1709211845"},
		{"{{$timestamp -3 h}}", "1709201045"},
		{"{{$timestamp 1 d}}", "1709298245"},
		{"{{$timestamp 500 ms}}", "1709211846"},
		{"{{$timestamp 2 s}}", "1709211847"},
		{"{{$timestamp 1 m}}", "1709211905"},
		{"{{$isoTimestamp}}", "2024-02-29T13:04:05.678Z"},
		{"{{$datetime iso8601}}", "2024-02-29T13:04:05.678Z"},
		{"{{$datetime rfc1123}}", "Thu, 29 Feb 2024 13:04:05 GMT"},
		{"{{$datetime iso8601 1 y}}", "2025-02-28T13:04:05.678Z"},
		{"{{$datetime iso8601 -1 M}}", "2024-01-29T13:04:05.678Z"},
		{"{{$datetime iso8601 1 M}}", "2024-03-29T13:04:05.678Z"},
		{"{{$datetime iso8601 2 w}}", "2024-03-14T13:04:05.678Z"},
		{"{{$datetime iso8601 -30 d}}", "2024-01-30T13:04:05.678Z"},
		{`{{$datetime "YYYY-MM-DD"}}`, "2024-02-29"},
		{`{{$datetime 'DD/MM/YY HH:mm:ss.SSS'}}`, "29/02/24 13:04:05.678"},
		{`{{$datetime "dddd, D MMMM YYYY h:m:s A" -1 d}}`, "Wednesday, 28 February 2024 1:4:5 PM"},
		{`{{$datetime "ddd dd d M MMM H hh a X x Z ZZ"}}`, "Thu Th 4 2 Feb 13 01 pm 1709211845 1709211845678 +00:00 +0000"},
		{`{{$datetime "[Jan 2 at] YYYY"}}`, "Jan 2 at 2024"},
		{`{{$datetime "YYYY-MM-DDTHH:mm:ss[Z]"}}`, "2024-02-29T13:04:05Z"},
		{"{{$localDatetime iso8601}}", "2024-02-29T15:04:05+02:00"},
		{"{{$localDatetime rfc1123}}", "Thu, 29 Feb 2024 15:04:05 +0200"},
		{`{{$localDatetime "YYYY-MM-DD HH:mm Z" 10 h}}`, "2024-03-01 01:04 +02:00"},
	} {
		if got := expand(t, r, tc.in).Reveal(); got != tc.want {
			t.Errorf("%s = %q, want %q", tc.in, got, tc.want)
		}
	}
	// Without a clock, the real one.
	got := expand(t, Resolver{}, "{{$timestamp}}").Reveal()
	if n, err := strconv.ParseInt(got, 10, 64); err != nil || time.Since(time.Unix(n, 0)).Abs() > time.Minute {
		t.Errorf("real $timestamp = %q", got)
	}
}

func TestMonthClamp(t *testing.T) {
	jan31 := time.Date(2023, 1, 31, 10, 0, 0, 0, time.UTC)
	for n, want := range map[int]string{1: "2023-02-28", 2: "2023-03-31", -2: "2022-11-30", 13: "2024-02-29"} {
		if got := addMonths(jan31, n).Format(time.DateOnly); got != want {
			t.Errorf("Jan 31 + %d months = %s, want %s", n, got, want)
		}
	}
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestDynamicRandom(t *testing.T) {
	for _, name := range []string{"$uuid", "$random.uuid", "$guid"} {
		r := fixed(t)
		a := expand(t, r, "{{"+name+"}}").Reveal()
		b := expand(t, r, "{{"+name+"}}").Reveal()
		if !uuidRE.MatchString(a) || a == b {
			t.Errorf("%s: %q then %q", name, a, b)
		}
		// The same randomness gives the same UUID: the source is injected.
		if again := expand(t, fixed(t), "{{"+name+"}}").Reveal(); again != a {
			t.Errorf("%s not reproducible: %q, %q", name, a, again)
		}
	}
	// A known source gives a known UUID.
	r := Resolver{Rand: bytes.NewReader(bytes.Repeat([]byte{0xff}, 16))}
	if got := expand(t, r, "{{$uuid}}").Reveal(); got != "ffffffff-ffff-4fff-bfff-ffffffffffff" {
		t.Errorf("all-ones uuid = %q", got)
	}
	// A variable is expanded once per call: the same UUID wherever it is used.
	r = fixed(t)
	r.Vars = Layers{{Vars: map[string]Value{"id": Template("{{$uuid}}")}}}.Lookup
	same := expand(t, r, "{{id}} {{id}}").Reveal()
	if a, b, _ := strings.Cut(same, " "); a != b || !uuidRE.MatchString(a) {
		t.Errorf("{{id}} twice: %q", same)
	}
	// One request, two uuids: each reference is its own value.
	two := expand(t, fixed(t), "{{$uuid}} {{$uuid}}").Reveal()
	if a, b, _ := strings.Cut(two, " "); a == b {
		t.Errorf("two $uuid are equal: %q", two)
	}

	r = fixed(t)
	seen := map[int]bool{}
	for range 20000 {
		n, err := strconv.Atoi(expand(t, r, "{{$randomInt}}").Reveal())
		if err != nil || n < 0 || n > 1000 {
			t.Fatalf("$randomInt = %d %v", n, err)
		}
		seen[n] = true
	}
	if !seen[0] || !seen[1000] || len(seen) < 990 {
		t.Errorf("$randomInt covers %d values (0: %v, 1000: %v)", len(seen), seen[0], seen[1000])
	}
	seen = map[int]bool{}
	for range 2000 {
		n, err := strconv.Atoi(expand(t, r, "{{$randomInt -5 5}}").Reveal())
		if err != nil || n < -5 || n >= 5 {
			t.Fatalf("$randomInt -5 5 = %d %v", n, err)
		}
		seen[n] = true
	}
	if len(seen) != 10 {
		t.Errorf("$randomInt -5 5 gives %d values", len(seen))
	}
	if got := expand(t, r, "{{$randomInt 7 8}}").Reveal(); got != "7" {
		t.Errorf("$randomInt 7 8 = %s", got)
	}
	// A source that runs dry is an error, not a panic or a zero.
	expandErr(t, Resolver{Rand: bytes.NewReader(nil)}, "{{$guid}}", "randomness")
}

func TestDynamicEnvironment(t *testing.T) {
	dir := t.TempDir()
	env := "# comment\nDB_PASSWORD=dot-pw-value\nexport TOKEN = 'single # kept'\nQUOTED=\"a\\nb \\\"c\\\"\" # note\nBARE=bare value # comment\nnot a line\n"
	if err := os.WriteFile(filepath.Join(dir, ".env"), []byte(env), 0o600); err != nil {
		t.Fatal(err)
	}
	r := fixed(t)
	r.Dir = dir
	for _, tc := range []struct{ in, want string }{
		{"{{$processEnv API_KEY}}", "env-key-value"},
		{"{{$processEnv %keyName}}", "env-key-value"},
		{"{{$processEnv %indirect}}", "env-key-value"},
		{"{{$dotenv DB_PASSWORD}}", "dot-pw-value"},
		{"{{$dotenv %dotName}}", "dot-pw-value"},
		{"{{$dotenv TOKEN}}", "single # kept"},
		{"{{$dotenv QUOTED}}", "a\nb \"c\""},
		{"{{$dotenv BARE}}", "bare value"},
	} {
		res := expand(t, r, "<"+tc.in+">")
		if res.Reveal() != "<"+tc.want+">" || res.Masked() != "<••••>" {
			t.Errorf("%s = %q, masked %q", tc.in, res.Reveal(), res.Masked())
		}
	}
	if res := expand(t, r, "<{{$processEnv EMPTY}}>"); res.Reveal() != "<>" || res.HasSecret() {
		t.Errorf("empty env var: %q %v", res.Reveal(), res.Spans())
	}
	for _, tc := range []struct{ in, want string }{
		{"{{$processEnv NOPE}}", "the environment variable NOPE is not set"},
		{"{{$processEnv}}", "takes one NAME"},
		{"{{$processEnv A B}}", "takes one NAME"},
		{"{{$processEnv %}}", "takes one NAME"},
		{"{{$processEnv %nope}}", "{{$processEnv %nope}}: {{nope}}: not set"},
		{"{{$processEnv %blank}}", "names no variable"},
		{"{{$dotenv NOPE}}", "does not set NOPE"},
	} {
		expandErr(t, r, tc.in, tc.want)
	}
	r.Dir = t.TempDir()
	expandErr(t, r, "{{$dotenv X}}", "no .env file in "+r.Dir)
	r.Dir = ""
	expandErr(t, r, "{{$dotenv X}}", "no folder")
	// The real process environment by default.
	t.Setenv("KEYHOLE_VARS_TEST", "from-the-process")
	if got := expand(t, Resolver{}, "{{$processEnv KEYHOLE_VARS_TEST}}").Reveal(); got != "from-the-process" {
		t.Errorf("real env: %q", got)
	}
}

func TestDynamicErrors(t *testing.T) {
	r := fixed(t)
	for _, tc := range []struct{ in, want string }{
		{"{{$aadToken}}", "not supported: Azure AD tokens come from a keyhole provider"},
		{"{{$aadV2Token appOnly}}", "not supported"},
		{"{{$nope}}", "no dynamic variable $nope"},
		{"{{$random.integer(1, 10)}}", "no dynamic variable $random.integer (keyhole knows"},
		{"{{$uuid 1}}", "takes no arguments"},
		{"{{$isoTimestamp x}}", "takes no arguments"},
		{"{{$timestamp 1}}", "an offset is a number and a unit"},
		{"{{$timestamp x d}}", "whole number"},
		{"{{$timestamp 1 fortnight}}", "one of y M w d h m s ms"},
		{"{{$datetime}}", "needs a format"},
		{"{{$datetime iso8601 1}}", "an offset is a number and a unit"},
		{"{{$randomInt 1}}", "takes MIN MAX or nothing"},
		{"{{$randomInt a b}}", "whole numbers"},
		{"{{$randomInt 5 5}}", "must be greater than MIN"},
	} {
		if err := expandErr(t, r, tc.in, tc.want); !strings.HasPrefix(err.Error(), tc.in+": ") {
			t.Errorf("%s: %q, want it to begin with what it expanded", tc.in, err)
		}
	}
	if err := expandErr(t, r, "{{$aadToken}}", "not supported"); !errors.Is(err, ErrUnsupported) {
		t.Errorf("$aadToken: %v is not ErrUnsupported", err)
	}
}
