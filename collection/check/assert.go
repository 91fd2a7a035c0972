package check

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/tidwall/gjson"
)

// Op is an assertion's operator.
type Op string

// The operators, as written.
const (
	Eq       Op = "=="
	Ne       Op = "!="
	Lt       Op = "<"
	Le       Op = "<="
	Gt       Op = ">"
	Ge       Op = ">="
	Contains Op = "contains"
	Matches  Op = "matches"
	Exists   Op = "exists"
)

// symbols are the operators written with signs, longest first so "<=" is
// not read as "<".
var symbols = []Op{Eq, Ne, Le, Ge, Lt, Gt}

// Assert is one `# @assert EXPR`: LEFT OP [RIGHT].
type Assert struct {
	Text    string  // the expression as written, trimmed
	Subject Subject // what the left side reads
	Name    string  // the header's name, or the body's gjson path ("" for the whole body)
	Op      Op
	Right   string // the right side as written ("" for exists)

	want   any            // the right side: json.Number, string, bool, nil, []any, map[string]any
	isText bool           // the right side is a string (a JSON string or a bare word)
	num    *big.Rat       // a number's value
	re     *regexp.Regexp // matches
	dur    time.Duration  // duration's right side
}

// ParseAssert reads an assertion. The left side is status, duration,
// header.NAME or body.PATH (a gjson path, which may hold spaces inside its
// brackets: body.items.#(name == "x").id); the operators are == != < <= >
// >= contains matches exists; the right side is a JSON literal (201, "x",
// true, null, [1,2]), a bare word read as a string, a Go duration for
// duration, or for matches an RE2 expression running to the end of the
// line. Its errors say what is wrong in words, for the caller to put after
// file:line.
func ParseAssert(text string) (Assert, error) {
	a := Assert{Text: strings.TrimSpace(text)}
	if a.Text == "" {
		return a, errors.New("@assert needs an expression, like status == 200")
	}
	left, rest := splitLeft(a.Text)
	var err error
	if a.Subject, a.Name, err = parseSubject(left); err != nil {
		return a, err
	}
	rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
	if a.Op, rest, err = parseOp(rest); err != nil {
		return a, fmt.Errorf("after %s: %w", left, err)
	}
	a.Right = strings.TrimSpace(rest)
	return a, a.parseRight()
}

// splitLeft cuts the left side off: up to white space or an operator sign
// outside brackets and quotes.
func splitLeft(s string) (left, rest string) {
	depth := 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			depth = max(depth-1, 0)
		case depth == 0 && (c == ' ' || c == '\t' || c == '=' || c == '!' || c == '<' || c == '>'):
			return s[:i], s[i:]
		}
	}
	return s, ""
}

// parseOp reads the operator at the start of s.
func parseOp(s string) (Op, string, error) {
	for _, op := range symbols {
		if rest, ok := strings.CutPrefix(s, string(op)); ok {
			return op, rest, nil
		}
	}
	word, rest := s, ""
	if i := strings.IndexFunc(s, unicode.IsSpace); i >= 0 {
		word, rest = s[:i], s[i:]
	}
	switch op := Op(word); op {
	case Contains, Matches, Exists:
		return op, rest, nil
	case "":
		return "", "", errors.New("an operator is missing: == != < <= > >= contains matches exists")
	}
	return "", "", fmt.Errorf("%q is not an operator: use == != < <= > >= contains matches exists", word)
}

// parseRight reads the right side for the operator and the subject.
func (a *Assert) parseRight() error {
	switch {
	case a.Op == Exists:
		if a.Right != "" {
			return fmt.Errorf("exists takes nothing after it, found %q", a.Right)
		}
		if a.Subject == Status || a.Subject == Duration {
			return fmt.Errorf("%s always exists: compare it instead (%s == …)", a.Subject, a.Subject)
		}
		return nil
	case a.Right == "":
		return fmt.Errorf("%s needs a value after it", a.Op)
	case a.Subject == Duration:
		switch a.Op {
		case Contains, Matches:
			return fmt.Errorf("duration is compared with == != < <= > >=, not %s", a.Op)
		}
		d, err := time.ParseDuration(a.Right)
		if err != nil {
			return fmt.Errorf("duration is compared with a Go duration like 500ms or 1.5s, not %q", a.Right)
		}
		a.dur = d
		return nil
	case a.Op == Matches:
		re, err := regexp.Compile(a.Right)
		if err != nil {
			return fmt.Errorf("matches needs an RE2 regular expression: %w", err)
		}
		a.re = re
		return nil
	}
	a.want, a.isText = literal(a.Right)
	if n, isNum := a.want.(json.Number); isNum {
		var ok bool
		if a.num, ok = number(value{text: string(n)}); !ok {
			return fmt.Errorf("%s is too large a number to compare", a.Right)
		}
	}
	switch a.Op {
	case Lt, Le, Gt, Ge:
		if _, isNum := a.want.(json.Number); !isNum && !a.isText {
			return fmt.Errorf("%s compares numbers or strings, not %s", a.Op, a.Right)
		}
	}
	return nil
}

// literal reads a right side: a JSON value, or else the text as a string.
func literal(s string) (v any, isText bool) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil || dec.More() || dec.InputOffset() != int64(len(s)) {
		return s, true
	}
	_, isText = v.(string)
	return v, isText
}

// Outcome is the result of one assertion against a response.
type Outcome struct {
	Pass bool
	// Found is what the left side found, as a report shows it: short,
	// a string quoted with its control characters escaped, a credential
	// header or field masked ("" when it found nothing).
	Found string
	// Exists is false when the left side found nothing (no such header,
	// nothing at the body path, a body that is not JSON).
	Exists bool
	// FromBody is set when Found came from the response body: the caller
	// passes it through its redactor with the rest of the body.
	FromBody bool
	// Why says in words why the check failed ("" when it passed).
	Why string
}

func (o Outcome) String() string {
	if o.Pass {
		return "passed"
	}
	return o.Why
}

// Check evaluates the assertion against resp. A left side that finds
// nothing fails every operator but exists: a check never passes by looking
// in the wrong place.
func (a Assert) Check(resp Response) Outcome {
	v := read(a.Subject, a.Name, resp)
	o := Outcome{Exists: v.exists, Found: v.show(), FromBody: a.Subject == Body}
	o.Pass, o.Why = a.eval(v, resp)
	if o.Pass {
		o.Why = ""
	}
	return o
}

func (a Assert) eval(v value, resp Response) (bool, string) {
	if a.Op == Exists {
		return v.exists, a.where() + " finds nothing"
	}
	if !v.exists {
		if a.Subject == Body && !gjson.ValidBytes(resp.Body) {
			return false, "the body is not JSON"
		}
		return false, a.where() + " finds nothing"
	}
	found := "found " + v.show()
	if a.Subject == Duration {
		return compare(a.Op, cmpInt(int64(resp.Duration), int64(a.dur))), "took " + resp.Duration.String()
	}
	switch a.Op {
	case Matches:
		return a.re.MatchString(v.text), found
	case Contains:
		return contains(v, a), found
	case Eq, Ne:
		eq, why := equal(v, a)
		if why != "" {
			return a.Op == Ne, found + ", " + why
		}
		return eq == (a.Op == Eq), found
	}
	// < <= > >=: numbers as numbers, strings as strings.
	if a.num != nil {
		x, ok := number(v)
		if !ok {
			return false, found + ", not a number"
		}
		return compare(a.Op, x.Cmp(a.num)), found
	}
	return compare(a.Op, strings.Compare(v.text, a.want.(string))), found
}

// where names the left side in a message.
func (a Assert) where() string {
	switch a.Subject {
	case Header:
		return "header " + a.Name
	case Body:
		if a.Name == "" {
			return "body"
		}
		return "body." + a.Name
	}
	return a.Subject.String()
}

// equal compares a found value with the right side: numbers as numbers
// (201 == 201.0, a header "5" == 5), strings as text, true/false/null by
// JSON type, arrays and objects as JSON. why says why they cannot be
// compared ("not a number").
func equal(v value, a Assert) (eq bool, why string) {
	switch want := a.want.(type) {
	case json.Number:
		x, ok := number(v)
		if !ok {
			return false, "not a number"
		}
		return x.Cmp(a.num) == 0, ""
	case string:
		return v.text == want, ""
	case bool, nil:
		if v.isJSON {
			return v.json.Raw == a.Right, ""
		}
		return v.text == a.Right, ""
	}
	var got any
	if !v.isJSON || json.Unmarshal([]byte(v.json.Raw), &got) != nil {
		return false, "not JSON"
	}
	var want any
	if err := json.Unmarshal([]byte(a.Right), &want); err != nil {
		return false, "not JSON"
	}
	return reflect.DeepEqual(got, want), ""
}

// number reads a found value as an exact number: a JSON number, or text
// that is one (a header, a status, a number written in a string). A
// number longer than 400 characters or with an exponent beyond ±400 is
// not read: big.Rat computes 1e999999 exactly, for 70 ms, and a hostile
// body can hold thousands of them.
func number(v value) (*big.Rat, bool) {
	text := strings.TrimSpace(v.text)
	if text == "" || len(text) > 400 || !isNumber(text) {
		return nil, false
	}
	if i := strings.IndexAny(text, "eE"); i >= 0 {
		exp, err := strconv.Atoi(text[i+1:])
		if err != nil || exp > 400 || exp < -400 {
			return nil, false
		}
	}
	return new(big.Rat).SetString(text)
}

// isNumber reports whether s is a JSON number, so that big.Rat's other
// spellings (1/3, 0x10, _) are not taken for one.
func isNumber(s string) bool {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil || dec.InputOffset() != int64(len(s)) {
		return false
	}
	_, ok := v.(json.Number)
	return ok
}

// contains is substring search, case-sensitive; for a JSON array found in
// the body, whether one of its elements equals the right side.
func contains(v value, a Assert) bool {
	want := a.Right
	if s, ok := a.want.(string); ok {
		want = s
	}
	if v.isJSON && v.json.IsArray() {
		y, wantNum := number(value{text: want})
		for _, el := range v.json.Array() {
			if el.Type == gjson.String && el.Str == want || el.Type != gjson.String && el.Raw == want {
				return true
			}
			if x, ok := number(value{text: el.Raw}); ok && wantNum && el.Type == gjson.Number && x.Cmp(y) == 0 {
				return true
			}
		}
		return false
	}
	return strings.Contains(v.text, want)
}

func cmpInt(x, y int64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// compare turns a three-way comparison into the operator's answer.
func compare(op Op, c int) bool {
	switch op {
	case Eq:
		return c == 0
	case Ne:
		return c != 0
	case Lt:
		return c < 0
	case Le:
		return c <= 0
	case Gt:
		return c > 0
	case Ge:
		return c >= 0
	}
	return false
}
