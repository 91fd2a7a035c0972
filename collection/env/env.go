// Package env reads the environment files that the JetBrains HTTP Client
// and the VS Code REST Client keep beside .http files,
// http-client.env.json and http-client.private.env.json, and lays their
// variables over keyhole's own ([environments.NAME] in the config): the
// environment layer of the variables a request sees. Their Security.Auth
// entries become keyhole providers where they describe an OAuth 2.0 flow
// keyhole runs.
package env

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"sync"

	"github.com/keyhole-sh/keyhole/internal/safefile"
)

// The env files' names, as both tools spell them.
const (
	PublicFile  = "http-client.env.json"
	PrivateFile = "http-client.private.env.json"
)

// Shared is the environment whose values every environment of the file
// has, unless it sets them itself.
const Shared = "$shared"

// MaxFileSize is the largest env file read: an environment is a few
// kilobytes; a bigger file is a mistake (or a trap), not one to load into
// memory.
const MaxFileSize = 1 << 20

// File is one env file, read.
type File struct {
	Path string
	// Private is set for http-client.private.env.json.
	Private bool
	// Envs are the file's environments in file order; the $shared one is
	// Shared instead, nil when the file has none.
	Envs   []*Env
	Shared *Env
	// Notes are what the file holds that keyhole does not use (an object
	// where a variable was expected, say): reported, never an error.
	Notes []Note
}

// Env is one environment of a file.
type Env struct {
	Name string
	Line int
	// Vars are its variables in file order; numbers and true/false are
	// written as text, as they are when substituted into a request.
	Vars []Var
	// Auth are its Security.Auth entries, in file order.
	Auth []*Auth
}

// Var is one variable of an environment.
type Var struct {
	Name, Value string
	Line        int
}

// Note is something of an env file that keyhole reads but does not use.
type Note struct {
	Path string
	Line int
	Text string
}

func (n Note) String() string {
	if n.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", n.Path, n.Line, n.Text)
	}
	return n.Path + ": " + n.Text
}

// Parse reads an env file's text. path names it in errors and notes;
// private says whether it is the private file. JSON that does not parse,
// or an environment that is not an object, is an *Error with the line;
// anything else keyhole does not use is a Note.
func Parse(path string, data []byte, private bool) (*File, error) {
	// Visual Studio writes the file with a byte order mark; JSON has none.
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	root, err := readTree(path, data)
	if err != nil {
		return nil, err
	}
	f := &File{Path: path, Private: private}
	for i, name := range root.keys {
		v := root.vals[i]
		if name == "$schema" && v.kind == scalar {
			// The JSON Schema an editor checks the file against.
			f.note(v.line, "$schema names the file's JSON Schema, not an environment: not used")
			continue
		}
		if v.kind != object {
			return nil, &Error{Path: path, Line: v.line, Msg: fmt.Sprintf("environment %q must be an object of variables, not %s", name, v.kind)}
		}
		e := f.env(name, v)
		if name == Shared {
			f.Shared = e
			continue
		}
		if j := slices.IndexFunc(f.Envs, func(o *Env) bool { return o.Name == name }); j >= 0 {
			f.Envs[j] = e // JSON's rule: the last of a repeated key wins
			continue
		}
		f.Envs = append(f.Envs, e)
	}
	return f, nil
}

// env reads one environment's object.
func (f *File) env(name string, n *node) *Env {
	e := &Env{Name: name, Line: n.line}
	for i, key := range n.keys {
		v := n.vals[i]
		switch {
		case v.kind == scalar:
			e.Vars = append(e.Vars, Var{Name: key, Value: v.text, Line: v.line})
		case key == "Security" && v.kind == object:
			f.security(e, v)
		default:
			f.note(v.line, fmt.Sprintf("%s.%s is %s, not a variable: not used", name, key, v.kind))
		}
	}
	return e
}

// security reads an environment's Security object: its Auth entries.
func (f *File) security(e *Env, n *node) {
	for i, key := range n.keys {
		v := n.vals[i]
		if key != "Auth" || v.kind != object {
			f.note(v.line, fmt.Sprintf("%s.Security.%s is not used by keyhole", e.Name, key))
			continue
		}
		for j, id := range v.keys {
			a := v.vals[j]
			if a.kind != object {
				f.note(a.line, fmt.Sprintf("%s.Security.Auth.%s must be an object: not used", e.Name, id))
				continue
			}
			e.Auth = append(e.Auth, f.auth(id, a))
		}
	}
}

func (f *File) note(line int, text string) {
	f.Notes = append(f.Notes, Note{Path: f.Path, Line: line, Text: text})
}

// ReadFile reads the env file at path: through the size cap, and never
// through a symbolic link (a link planted beside a collection could point
// keyhole at another file's secrets, or at a device that never ends). A
// missing file is fs.ErrNotExist.
func ReadFile(path string, private bool) (*File, error) {
	data, err := safefile.ReadCapped(path, MaxFileSize)
	var tooLarge *safefile.TooLargeError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, err
	case errors.As(err, &tooLarge):
		return nil, &Error{Path: path, Msg: tooLarge.Error() + ", which no environment file needs; not read"}
	case err != nil:
		return nil, &Error{Path: path, Msg: fmt.Sprintf("cannot read it: %v", err)}
	}
	return Parse(path, data, private)
}

// Set is the env files of one folder: either may be missing (nil).
type Set struct {
	Dir     string
	Public  *File
	Private *File
}

// Load reads the env files of dir. Neither file is not an error: the Set
// is empty.
func Load(dir string) (*Set, error) {
	s := &Set{Dir: dir}
	for _, f := range []struct {
		name    string
		private bool
		into    **File
	}{{PublicFile, false, &s.Public}, {PrivateFile, true, &s.Private}} {
		file, err := ReadFile(filepath.Join(dir, f.name), f.private)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		*f.into = file
	}
	return s, nil
}

// Find loads the env files of the first of dirs that has one (the working
// directory, then the config's folder, say); an empty Set when none has.
func Find(dirs ...string) (*Set, error) {
	for _, dir := range dirs {
		if dir == "" {
			continue
		}
		s, err := Load(dir)
		if err != nil {
			return nil, err
		}
		if !s.Empty() {
			return s, nil
		}
	}
	return &Set{}, nil
}

// Empty reports whether the set has no env file.
func (s *Set) Empty() bool { return s == nil || (s.Public == nil && s.Private == nil) }

// files are the set's files, public first: the order their values are
// laid over each other in, the private file winning.
func (s *Set) files() []*File {
	var out []*File
	if s == nil {
		return nil
	}
	for _, f := range []*File{s.Public, s.Private} {
		if f != nil {
			out = append(out, f)
		}
	}
	return out
}

// Names are the environments the files define, in file order, the public
// file's first; $shared is not one.
func (s *Set) Names() []string {
	var out []string
	for _, f := range s.files() {
		for _, e := range f.Envs {
			if !slices.Contains(out, e.Name) {
				out = append(out, e.Name)
			}
		}
	}
	return out
}

// Has reports whether a file defines the environment called name.
func (s *Set) Has(name string) bool { return slices.Contains(s.Names(), name) }

// Notes are what the files hold that keyhole does not use.
func (s *Set) Notes() []Note {
	var out []Note
	for _, f := range s.files() {
		out = append(out, f.Notes...)
	}
	return out
}

// layers are the environments whose values make up environment name, from
// lowest to highest: each file's $shared, then each file's own entry, the
// public file before the private one. With name "" only the $shared ones.
func (s *Set) layers(name string) []*Env {
	var out []*Env
	for _, f := range s.files() {
		if f.Shared != nil {
			out = append(out, f.Shared)
		}
	}
	if name == "" {
		return out
	}
	for _, f := range s.files() {
		for _, e := range f.Envs {
			if e.Name == name {
				out = append(out, e)
			}
		}
	}
	return out
}

// Vars are the variables of environment name: $shared values, overridden
// by the environment's own, the private file winning over the public one
// at each step (as httpyac does). private names the variables whose value
// comes from the private file: they are meant to be secret, and are masked
// wherever they show.
func (s *Set) Vars(name string) (vars map[string]string, private map[string]bool) {
	vars, private = map[string]string{}, map[string]bool{}
	for _, e := range s.layers(name) {
		fromPrivate := s.Private != nil && (e == s.Private.Shared || slices.Contains(s.Private.Envs, e))
		for _, v := range e.Vars {
			vars[v.Name] = v.Value
			private[v.Name] = fromPrivate
		}
	}
	for k, p := range private {
		if !p {
			delete(private, k)
		}
	}
	// VS Code's REST Client lets a value take a $shared one by name:
	// "version": "{{$shared version}}".
	shared := map[string]string{}
	for _, e := range s.layers("") {
		for _, v := range e.Vars {
			shared[v.Name] = v.Value
		}
	}
	for k, v := range vars {
		vars[k] = sharedRef().ReplaceAllStringFunc(v, func(ref string) string {
			if val, ok := shared[sharedRef().FindStringSubmatch(ref)[1]]; ok {
				return val
			}
			return ref
		})
	}
	return vars, private
}

// sharedRef is VS Code's reference to a $shared value inside another.
// Compiled on first use, not at every start of keyhole.
var sharedRef = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{\{\s*\$shared\s+([^{}\s]+)\s*\}\}`) })
