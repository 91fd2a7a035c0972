package spec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/keyhole-sh/keyhole/internal/safefile"
)

// A spec split into several files — DigitalOcean publishes its own so:
// paths in one file, each operation, parameter and schema in files of
// their own, joined by $refs such as "resources/droplets/list.yml" or
// "../../shared/parameters.yml#/per_page" — is read whole, as the
// bundlers its publishers use would write it: every $ref to another file
// is replaced by what it points at, so that the index, the skeleton and
// the checker, which read one document, see the whole description.
//
// Only a spec read from a file is bundled, and only from files within its
// folder: a spec names other files, and keyhole reads no file the person
// did not put beside it. A $ref to a URL is left for the index to report.

// maxSplitFiles bounds how many files one spec may join.
const maxSplitFiles = 10_000

// hasFileRefs reports whether data holds a $ref whose value does not
// start with '#': one to another file. A scan of the bytes, no parse, so
// that a spec of one file — the usual case, GitHub's 73 MB among them —
// costs nothing more; a false alarm costs one bundling pass that finds
// nothing to replace.
func hasFileRefs(data []byte) bool {
	key := []byte("$ref")
	for i := 0; ; {
		j := bytes.Index(data[i:], key)
		if j < 0 {
			return false
		}
		k := skipBytes(data, i+j+len(key), "\"' \t")
		if k < len(data) && data[k] == ':' {
			k = skipBytes(data, k+1, "\"' \t")
			if k < len(data) && !strings.ContainsRune("#\r\n", rune(data[k])) {
				return true
			}
		}
		i = k
	}
}

func skipBytes(data []byte, i int, set string) int {
	for i < len(data) && strings.IndexByte(set, data[i]) >= 0 {
		i++
	}
	return i
}

// bundler reads the files a split spec joins.
type bundler struct {
	dir      string                // the main file's folder: nothing outside it is read
	realDir  string                // dir with its symbolic links resolved
	root     *os.Root              // dir, the files opened in it: nil when it cannot be opened
	realRoot *os.Root              // realDir, for a link on the way os.Root does not follow
	main     string                // the main file, cleaned
	files    map[string]*yaml.Node // each file read, parsed, by its cleaned path
	read     int64                 // bytes read in all, the main file's included
	max      int64                 // the spec size limit, for all the files together
	open     map[string]bool       // the $refs being written out ("file#pointer"), for cycles
	// missed counts the $refs to files that could not be read, first
	// says why for the first of them.
	missed int
	first  string
	looked []joinedFile // the files read or looked for, for the cache
}

// errTooLarge is the one failure that stops a bundle: the files together
// over the size limit.
var errTooLarge = errors.New("the spec's files together are larger than the size limit")

// note is what the person is told of the $refs not followed, "" when
// every one was.
func (b *bundler) note() string {
	switch b.missed {
	case 0:
		return ""
	case 1:
		return "a $ref to another file was not followed: " + b.first
	}
	return fmt.Sprintf("%d $refs to other files were not followed; the first: %s", b.missed, b.first)
}

// bundle converts the spec file at path, data its bytes, into one JSON
// document with every $ref to another file replaced by its target. A
// $ref within the main file stays as written; one from another file back
// into the main file becomes a $ref within it; one within another file
// is written out. A cycle across files is cut with {} (any value), as
// the skeleton cuts one.
func bundle(path string, data []byte, max int64) ([]byte, string, error) {
	js, note, _, err := bundleFiles(path, data, max)
	return js, note, err
}

// bundleFiles is bundle that also says which files it read or looked
// for, for the cache to know when to join again.
func bundleFiles(path string, data []byte, max int64) ([]byte, string, []joinedFile, error) {
	main := filepath.Clean(path)
	b := &bundler{dir: filepath.Dir(main), main: main, files: map[string]*yaml.Node{}, read: int64(len(data)), max: max, open: map[string]bool{}}
	b.realDir = b.dir
	if real, err := filepath.EvalSymlinks(b.dir); err == nil {
		b.realDir = real
	}
	if root, err := os.OpenRoot(b.dir); err == nil {
		b.root = root
		defer root.Close()
	}
	if root, err := os.OpenRoot(b.realDir); err == nil {
		b.realRoot = root
		defer root.Close()
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, "", nil, yamlError(path, err)
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil, "", nil, &Error{File: path, Reason: "empty file"}
	}
	c := converter{file: main, limit: b.limit(), refs: b}
	c.out.Grow(4 * len(data))
	if err := c.node(root.Content[0], 0); err != nil {
		return nil, "", nil, err
	}
	return c.out.Bytes(), b.note(), b.looked, nil
}

// refTarget is the value of a mapping's $ref, when it has one.
func refTarget(n *yaml.Node) (string, bool) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k, v := n.Content[i], n.Content[i+1]; k.Value == "$ref" && v.Kind == yaml.ScalarNode {
			return v.Value, true
		}
	}
	return "", false
}

// inline writes what ref, met in c.file, points at, when it is to be
// written out; done is false for a $ref that stays as written.
func (c *converter) inline(n *yaml.Node, ref string, depth int) (done bool, err error) {
	b := c.refs
	file, frag, _ := strings.Cut(ref, "#")
	switch {
	case file == "" && c.file == b.main:
		return false, nil
	case file == "":
		file = c.file
	case strings.Contains(file, "://") || strings.HasPrefix(file, "//"):
		return false, nil // a URL: the index says it is not followed
	default:
		if u, err := url.PathUnescape(file); err == nil {
			file = u
		}
		file = filepath.Join(filepath.Dir(c.file), filepath.FromSlash(file))
	}
	if file == b.main {
		c.out.WriteString(`{"$ref":`)
		writeJSONString(&c.out, "#"+frag)
		c.out.WriteByte('}')
		return true, nil
	}
	root, err := b.load(file)
	if errors.Is(err, errTooLarge) {
		return true, c.fail(n, err.Error())
	}
	var target *yaml.Node
	if err == nil {
		target, err = pointerNode(root, frag)
	}
	if err != nil {
		// A file left out of a download (an example's, say) costs
		// that one reference, not the spec: it stays as written, for
		// the index to report should it need it, and a note says so.
		if b.missed++; b.missed == 1 {
			b.first = c.fail(n, fmt.Sprintf("$ref %q: %v", ref, err)).Error()
		}
		return false, nil
	}
	c.limit = b.limit()
	key := file + "#" + frag
	if b.open[key] {
		c.out.WriteString("{}")
		return true, nil
	}
	b.open[key] = true
	outer := c.file
	c.file = file
	err = c.node(target, depth+1)
	c.file = outer
	delete(b.open, key)
	return true, err
}

// limit is how much JSON the files read so far may write: ten times
// their size, as for a YAML file's aliases, so that $refs that fan out
// (a to b twice, b to c twice, …) fail rather than fill the memory.
// DigitalOcean's 3.8 MB of files join into 13.7 MB.
func (b *bundler) limit() int {
	return int(min(b.max, 1<<30, 10*b.read+1<<20))
}

// load reads and parses one file of the spec, once.
func (b *bundler) load(file string) (*yaml.Node, error) {
	if n, ok := b.files[file]; ok {
		return n, nil
	}
	if !within(b.dir, file) {
		return nil, fmt.Errorf("%s is outside the spec's folder %s, which keyhole does not read", file, b.dir)
	}
	// A folder on the way may be a link out of the spec's folder (a
	// downloaded spec's "shared -> ~/.ssh"): where the file really is
	// must be inside too. (The file itself being a link is refused when
	// it is opened.)
	if real, err := filepath.EvalSymlinks(filepath.Dir(file)); err == nil && !within(b.realDir, real) {
		b.looked = append(b.looked, joinedFile{Path: file, Size: -1})
		return nil, fmt.Errorf("%s is outside the spec's folder %s through a symbolic link, which keyhole does not follow", file, b.dir)
	}
	if len(b.files) >= maxSplitFiles {
		return nil, fmt.Errorf("the spec joins more than %d files", maxSplitFiles)
	}
	f, err := b.openFile(file)
	if err != nil {
		b.looked = append(b.looked, joinedFile{Path: file, Size: -1})
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil {
		b.looked = append(b.looked, joinedFile{Path: file, Size: fi.Size(), MTime: fi.ModTime().UnixNano()})
	}
	data, err := io.ReadAll(io.LimitReader(f, b.max-b.read+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", file, err)
	}
	if b.read += int64(len(data)); b.read > b.max {
		return nil, fmt.Errorf("%w (%s)", errTooLarge, mb(b.max))
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(file, err)
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil, fmt.Errorf("%s is empty", file)
	}
	b.files[file] = root.Content[0]
	return root.Content[0], nil
}

// openFile opens file, within the spec's folder, in b.root: a folder on the
// way swapped for a link out of the spec's folder after the look in load
// is refused by the open itself.
func (b *bundler) openFile(file string) (*os.File, error) {
	rel, err := filepath.Rel(b.dir, file)
	if err != nil || b.root == nil {
		return nil, fmt.Errorf("cannot read %s: the spec's folder cannot be opened", file)
	}
	f, err := safefile.OpenIn(b.root, rel)
	if err == nil {
		return f, nil
	}
	real, rerr := filepath.EvalSymlinks(filepath.Dir(file))
	if rerr == nil && !within(b.realDir, real) {
		return nil, fmt.Errorf("%s is outside the spec's folder %s through a symbolic link, which keyhole does not follow", file, b.dir)
	}
	if rerr == nil && b.realRoot != nil {
		// os.Root follows no link with an absolute target, even one
		// that leads inside ("shared -> /home/ann/api/common"): the file
		// is opened where the link leads, from the folder's real place,
		// and again no folder on the way may lead out of it.
		if inner, err := filepath.Rel(b.realDir, filepath.Join(real, filepath.Base(file))); err == nil {
			if f, err := safefile.OpenIn(b.realRoot, inner); err == nil {
				return f, nil
			}
		}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return nil, fmt.Errorf("cannot read %s: %s", file, strings.TrimPrefix(err.Error(), rel+": "))
}

// within reports whether path lies in dir or below it.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// pointerNode is what a JSON pointer (RFC 6901, as a URI fragment: its
// tokens may be percent-encoded) points at under n.
func pointerNode(n *yaml.Node, frag string) (*yaml.Node, error) {
	if frag == "" || frag == "/" {
		return n, nil
	}
	if !strings.HasPrefix(frag, "/") {
		return nil, fmt.Errorf("#%s is not a JSON pointer", frag)
	}
	for _, tok := range strings.Split(frag[1:], "/") {
		if u, err := url.PathUnescape(tok); err == nil {
			tok = u
		}
		tok = pointerUnescape(tok)
		for n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == tok {
					next = n.Content[i+1]
					break
				}
			}
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
				next = n.Content[i]
			}
		}
		if next == nil {
			return nil, fmt.Errorf("nothing at #%s", frag)
		}
		n = next
	}
	return n, nil
}
