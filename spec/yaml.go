package spec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// isYAML reports whether data looks like YAML rather than JSON: a JSON
// document starts with { after any blank space (a BOM included).
func isYAML(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n\ufeff")
	t = bytes.TrimPrefix(t, []byte("\xef\xbb\xbf"))
	return len(t) == 0 || t[0] != '{'
}

// YAMLToJSON converts a YAML spec into the JSON the index reads, keys in
// the order written (the index lists operations in spec order). Aliases
// are expanded, merge keys (<<) applied; the output is limited to ten
// times the input, so a "billion laughs" of nested aliases fails instead
// of filling the memory. file names the spec in errors.
func YAMLToJSON(file string, data []byte) ([]byte, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(file, err)
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil, &Error{File: file, Reason: "empty file"}
	}
	c := converter{file: file, limit: 10*len(data) + 1<<20}
	c.out.Grow(len(data))
	if err := c.node(root.Content[0], 0); err != nil {
		return nil, err
	}
	return c.out.Bytes(), nil
}

// yamlError turns the decoder's "yaml: line 3: did not find ..." into an
// Error with the line. (No regexp: a package-level one would be compiled
// at every keyhole start.)
func yamlError(file string, err error) *Error {
	text := strings.TrimPrefix(err.Error(), "yaml: ")
	e := &Error{File: file, Reason: "not valid YAML: " + text}
	if rest, ok := strings.CutPrefix(text, "line "); ok {
		if num, msg, ok := strings.Cut(rest, ": "); ok {
			if n, err := strconv.Atoi(num); err == nil {
				e.Line, e.Reason = n, "not valid YAML: "+msg
			}
		}
	}
	return e
}

type converter struct {
	file  string
	out   bytes.Buffer
	limit int
	pairs int // mapping pairs visited, merged ones included
	// refs, when set, writes out each $ref to another file of a split
	// spec (bundle); file is then the one being converted.
	refs *bundler
}

func (c *converter) fail(n *yaml.Node, reason string) error {
	return &Error{File: c.file, Line: n.Line, Column: n.Column, Reason: reason}
}

func (c *converter) node(n *yaml.Node, depth int) error {
	if depth > MaxNesting {
		return c.fail(n, fmt.Sprintf("nests deeper than %d levels", MaxNesting))
	}
	if c.out.Len() > c.limit {
		if c.refs != nil {
			return c.fail(n, "aliases and $refs expand to more than ten times the size of the spec's files")
		}
		return c.fail(n, "aliases expand to more than ten times the file's size")
	}
	switch n.Kind {
	case yaml.AliasNode:
		return c.node(n.Alias, depth+1)
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			c.out.WriteString("null")
			return nil
		}
		return c.node(n.Content[0], depth)
	case yaml.SequenceNode:
		c.out.WriteByte('[')
		for i, e := range n.Content {
			if i > 0 {
				c.out.WriteByte(',')
			}
			if err := c.node(e, depth+1); err != nil {
				return err
			}
		}
		c.out.WriteByte(']')
		return nil
	case yaml.MappingNode:
		if ref, ok := refTarget(n); ok && c.refs != nil {
			if done, err := c.inline(n, ref, depth); done || err != nil {
				return err
			}
		}
		c.out.WriteByte('{')
		if err := c.mapping(n, depth, map[string]bool{}, true); err != nil {
			return err
		}
		c.out.WriteByte('}')
		return nil
	}
	c.scalar(n)
	return nil
}

// mapping writes a mapping's pairs, those of its merge keys (<<) after its
// own, skipping keys already written (seen). first says no pair has been
// written yet in the enclosing object.
func (c *converter) mapping(n *yaml.Node, depth int, seen map[string]bool, first bool) error {
	if depth > MaxNesting {
		return c.fail(n, fmt.Sprintf("nests deeper than %d levels", MaxNesting))
	}
	own := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Tag != "!!merge" {
			own[n.Content[i].Value] = true
		}
	}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		// Merge keys that merge each other many times over write
		// nothing new, so the output limit does not stop them: the
		// count of pairs looked at does.
		if c.pairs++; c.pairs > c.limit {
			return c.fail(n, "merge keys (<<) expand to more than ten times the file's size")
		}
		k, v := n.Content[i], n.Content[i+1]
		if k.Tag == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			return c.fail(k, "a key must be a plain value, not a list or a mapping")
		}
		if seen[k.Value] {
			continue
		}
		seen[k.Value] = true
		if !first {
			c.out.WriteByte(',')
		}
		first = false
		writeJSONString(&c.out, k.Value)
		c.out.WriteByte(':')
		refs := c.refs
		if strings.HasPrefix(k.Value, "x-") {
			// An extension's $refs (Dropbox Sign's code samples in
			// .php files) are its tools', not OpenAPI's: as written.
			c.refs = nil
		}
		err := c.node(v, depth+1)
		c.refs = refs
		if err != nil {
			return err
		}
	}
	for _, m := range merges {
		if m.Kind == yaml.AliasNode {
			m = m.Alias
		}
		list := []*yaml.Node{m}
		if m.Kind == yaml.SequenceNode {
			list = m.Content
		}
		for _, e := range list {
			if e.Kind == yaml.AliasNode {
				e = e.Alias
			}
			if e.Kind != yaml.MappingNode {
				return c.fail(e, "a merge key (<<) takes a mapping or a list of mappings")
			}
			if err := c.mapping(e, depth+1, seen, first && len(seen) == 0); err != nil {
				return err
			}
			if len(seen) > 0 {
				first = false
			}
		}
	}
	return nil
}

func (c *converter) scalar(n *yaml.Node) {
	switch n.ShortTag() {
	case "!!null":
		c.out.WriteString("null")
	case "!!bool":
		b, err := strconv.ParseBool(strings.ToLower(n.Value))
		c.out.WriteString(strconv.FormatBool(err == nil && b))
	case "!!int":
		if jsonNumber(n.Value) {
			c.out.WriteString(n.Value)
		} else if i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err == nil {
			c.out.WriteString(strconv.FormatInt(i, 10))
		} else {
			writeJSONString(&c.out, n.Value)
		}
	case "!!float":
		if jsonNumber(n.Value) {
			c.out.WriteString(n.Value)
		} else if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
			c.out.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
		} else {
			writeJSONString(&c.out, n.Value) // .inf and .nan have no JSON form
		}
	default:
		writeJSONString(&c.out, n.Value)
	}
}

// jsonNumber reports whether s is already a number as JSON writes one.
func jsonNumber(s string) bool {
	return json.Valid([]byte(s)) && s != "" && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9'))
}

// writeJSONString writes s as a JSON string; the common case, plain
// ASCII with nothing to escape, skips encoding/json.
func writeJSONString(b *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			q, _ := json.Marshal(s)
			b.Write(q)
			return
		}
	}
	b.WriteByte('"')
	b.WriteString(s)
	b.WriteByte('"')
}
