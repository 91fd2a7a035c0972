package vars

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// dynamic generates a {{$…}} value: the JetBrains client's $uuid,
// $random.uuid, $timestamp, $isoTimestamp, $randomInt, and the VS Code
// REST Client's $guid, $randomInt MIN MAX, $timestamp [OFFSET UNIT],
// $datetime and $localDatetime FORMAT [OFFSET UNIT], $processEnv and
// $dotenv [%]NAME.
func (e *expander) dynamic(ref Ref) (Value, error) {
	args := ref.Args
	switch ref.Name {
	case "$uuid", "$random.uuid", "$guid":
		if err := noArgs(args); err != nil {
			return Value{}, err
		}
		return e.uuid()
	case "$timestamp":
		t, err := e.offset(e.now(), args)
		if err != nil {
			return Value{}, err
		}
		return Literal(strconv.FormatInt(t.Unix(), 10)), nil
	case "$isoTimestamp":
		if err := noArgs(args); err != nil {
			return Value{}, err
		}
		return Literal(e.now().UTC().Format(isoMillis)), nil
	case "$randomInt":
		return e.randomInt(args)
	case "$datetime", "$localDatetime":
		return e.datetime(ref.Name == "$localDatetime", args)
	case "$processEnv":
		return e.processEnv(args)
	case "$dotenv":
		return e.dotenv(args)
	case "$aadToken", "$aadV2Token":
		return Value{}, fmt.Errorf("%w: Azure AD tokens come from a keyhole provider (# @provider NAME or {{$auth.token(\"NAME\")}})", ErrUnsupported)
	}
	name, _, _ := strings.Cut(ref.Name, "(")
	return Value{}, fmt.Errorf("no dynamic variable %s (keyhole knows $uuid, $random.uuid, $guid, $timestamp, $isoTimestamp, $randomInt, $datetime, $localDatetime, $processEnv, $dotenv, $auth.token, $auth.idToken)", name)
}

// isoMillis is JavaScript's Date.toISOString: UTC with milliseconds.
const isoMillis = "2006-01-02T15:04:05.000Z07:00"

func noArgs(args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("takes no arguments, got %q", strings.Join(args, " "))
	}
	return nil
}

func (e *expander) now() time.Time {
	if e.r.Now != nil {
		return e.r.Now()
	}
	return time.Now()
}

func (e *expander) random(b []byte) error {
	src := e.r.Rand
	if src == nil {
		src = rand.Reader
	}
	if _, err := io.ReadFull(src, b); err != nil {
		return fmt.Errorf("reading randomness: %w", err)
	}
	return nil
}

// uuid is a version 4 UUID (RFC 9562).
func (e *expander) uuid() (Value, error) {
	var b [16]byte
	if err := e.random(b[:]); err != nil {
		return Value{}, err
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return Literal(fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])), nil
}

// randomInt is JetBrains' $randomInt (0 to 1000, both included, as its
// documentation says "between 0 and 1000") or VS Code's $randomInt MIN MAX
// (MIN included, MAX excluded, as the REST Client does).
func (e *expander) randomInt(args []string) (Value, error) {
	lo, hi := int64(0), int64(1001)
	switch len(args) {
	case 0:
	case 2:
		var err1, err2 error
		lo, err1 = strconv.ParseInt(args[0], 10, 64)
		hi, err2 = strconv.ParseInt(args[1], 10, 64)
		if err1 != nil || err2 != nil {
			return Value{}, fmt.Errorf("MIN and MAX must be whole numbers, got %q %q", args[0], args[1])
		}
		if hi <= lo {
			return Value{}, fmt.Errorf("MAX (%d) must be greater than MIN (%d)", hi, lo)
		}
	default:
		return Value{}, fmt.Errorf("takes MIN MAX or nothing, got %q", strings.Join(args, " "))
	}
	n, err := e.below(uint64(hi) - uint64(lo))
	if err != nil {
		return Value{}, err
	}
	return Literal(strconv.FormatInt(lo+int64(n), 10)), nil
}

// below is a uniform random number in [0, n), n > 0, by rejection so no
// value is favoured.
func (e *expander) below(n uint64) (uint64, error) {
	limit := math.MaxUint64 - math.MaxUint64%n
	var b [8]byte
	for range 64 {
		if err := e.random(b[:]); err != nil {
			return 0, err
		}
		if v := binary.BigEndian.Uint64(b[:]); v < limit {
			return v % n, nil
		}
	}
	return 0, fmt.Errorf("the randomness source gives no usable numbers")
}

// datetime is VS Code's $datetime (UTC) and $localDatetime: FORMAT is
// rfc1123, iso8601 or a Day.js format ("DD-MM-YYYY"), then an optional
// offset.
func (e *expander) datetime(local bool, args []string) (Value, error) {
	if len(args) == 0 {
		return Value{}, fmt.Errorf("needs a format: rfc1123, iso8601 or a quoted one like \"YYYY-MM-DD\"")
	}
	t, err := e.offset(e.now(), args[1:])
	if err != nil {
		return Value{}, err
	}
	if local {
		loc := e.r.Location
		if loc == nil {
			loc = time.Local
		}
		t = t.In(loc)
	} else {
		t = t.UTC()
	}
	switch args[0] {
	case "rfc1123":
		if local {
			return Literal(t.Format("Mon, 02 Jan 2006 15:04:05 -0700")), nil
		}
		return Literal(t.Format(http.TimeFormat)), nil
	case "iso8601":
		if local {
			return Literal(t.Format("2006-01-02T15:04:05Z07:00")), nil
		}
		return Literal(t.Format(isoMillis)), nil
	}
	return Literal(dayjsFormat(t, args[0])), nil
}

// offset adds VS Code's "OFFSET UNIT" (-3 h, 1 M) to t; no arguments add
// nothing.
func (e *expander) offset(t time.Time, args []string) (time.Time, error) {
	if len(args) == 0 {
		return t, nil
	}
	if len(args) != 2 {
		return t, fmt.Errorf("an offset is a number and a unit (1 d, -3 h), got %q", strings.Join(args, " "))
	}
	n, err := strconv.Atoi(args[0])
	if err != nil {
		return t, fmt.Errorf("an offset must be a whole number, got %q", args[0])
	}
	switch args[1] {
	case "y":
		return addMonths(t, 12*n), nil
	case "M":
		return addMonths(t, n), nil
	case "w":
		return t.AddDate(0, 0, 7*n), nil
	case "d":
		return t.AddDate(0, 0, n), nil
	case "h":
		return t.Add(time.Duration(n) * time.Hour), nil
	case "m":
		return t.Add(time.Duration(n) * time.Minute), nil
	case "s":
		return t.Add(time.Duration(n) * time.Second), nil
	case "ms":
		return t.Add(time.Duration(n) * time.Millisecond), nil
	}
	return t, fmt.Errorf("an offset's unit is one of y M w d h m s ms, got %q", args[1])
}

// addMonths adds months as Day.js does: January 31 plus a month is the
// last day of February, not March 3 as time.AddDate would make it.
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}

// processEnv is $processEnv NAME, or $processEnv %VAR with the name read
// from the variable VAR. The value is secret: environment variables hold
// keys.
func (e *expander) processEnv(args []string) (Value, error) {
	name, err := e.indirectName(args)
	if err != nil {
		return Value{}, err
	}
	get := e.r.Getenv
	if get == nil {
		get = os.LookupEnv
	}
	v, ok := get(name)
	if !ok {
		return Value{}, fmt.Errorf("the environment variable %s is not set", name)
	}
	return Literal(v).AsSecret(), nil
}

// indirectName is the NAME argument of $processEnv and $dotenv: as written,
// or, written %VAR, the value of the variable VAR.
func (e *expander) indirectName(args []string) (string, error) {
	if len(args) != 1 || args[0] == "" || args[0] == "%" {
		return "", fmt.Errorf("takes one NAME or %%VARIABLE, got %q", strings.Join(args, " "))
	}
	name, indirect := strings.CutPrefix(args[0], "%")
	if !indirect {
		return name, nil
	}
	p, err := e.variable(Ref{Raw: name, Kind: Variable, Name: name})
	if err != nil {
		return "", err
	}
	if p.text == "" {
		return "", fmt.Errorf("the variable %s names no variable: it is empty", name)
	}
	return p.text, nil
}
