package document

import (
	"strings"
	"testing"
)

const filterBody = `{"detail":[{"name":"a","tags":["x"]},{"name":"b","tags":["y","z"]}],"count":2,"meta":{"next":null}}`

func TestFilter(t *testing.T) {
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"count", []string{"2"}},
		{"meta", []string{"{", `  "next": null`, "}"}},
		{"detail.1.name", []string{`"b"`}},
		{"detail.#.name", []string{"[", `  "a",`, `  "b"`, "]"}},
		{"detail.#", []string{"2"}},
		{"detail.#.tags|@flatten", []string{"[", `  "x",`, `  "y",`, `  "z"`, "]"}},
		{"detail.#.name|@reverse", []string{"[", `  "b",`, `  "a"`, "]"}},
		{`detail.#(name=="b").tags.0`, []string{`"y"`}},
		{"@keys", []string{"[", `  "detail",`, `  "count",`, `  "meta"`, "]"}},
		{"  ", strings.Split(string(Build([]byte(filterBody), "application/json", ModePretty).Bytes()), "\n")},
	} {
		d, err := Filter([]byte(filterBody), tc.path)
		if err != nil {
			t.Errorf("%q: %v", tc.path, err)
			continue
		}
		if d.Kind() != KindJSON {
			t.Errorf("%q: kind %v", tc.path, d.Kind())
		}
		if got := lines(d); strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%q:\n%s\nwant\n%s", tc.path, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
		}
	}
}

func TestFilterErrors(t *testing.T) {
	for path, want := range map[string]string{
		"detail.5.name":        `nothing matches "detail.5.name"`,
		"missing":              `nothing matches "missing"`,
		"detail..name":         "empty step at 8",
		"detail.":              "empty step at 7",
		`detail.#(name=="b"`:   `missing ')'`,
		"detail]":              `unbalanced ']'`,
		`detail.#(name=="b).x`: "unclosed quote",
		"@nope":                "no modifier @nope",
	} {
		d, err := Filter([]byte(filterBody), path)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: doc %v, error %v; want %q", path, d, err, want)
		}
	}
	if _, err := Filter([]byte("<html>"), "a"); err == nil || !strings.Contains(err.Error(), "not valid JSON") {
		t.Errorf("html body: %v", err)
	}
}
