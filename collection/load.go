// Package collection finds the .http files of a collection and reads
// them: the files, folders and globs of the `collections` setting (or a
// command line), or with neither, the .http files of the working folder.
// The grammar is collection/httpfile's; variables, checks and the runner
// live in the packages beside this one.
package collection

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/keyhole-sh/keyhole/collection/httpfile"
	"github.com/keyhole-sh/keyhole/internal/safefile"
)

// MaxFile caps one .http file: a collection is text people write, and a
// FIFO or a device named by mistake must not hang a start.
const MaxFile = 16 << 20

// Extensions are the file names a folder is searched for: .http, and
// .rest, which the VS Code REST Client also reads.
var Extensions = []string{".http", ".rest"}

// Files expands patterns — files, folders (searched for .http and .rest
// files, with their subfolders) and globs — relative to base, in the order
// given, each file once, folders and glob matches sorted. A pattern that
// finds nothing is an error naming it. No symbolic link is followed: a
// link is skipped inside a folder, and refused when named.
func Files(base string, patterns []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, pat := range patterns {
		p := pat
		if !filepath.IsAbs(p) && base != "" {
			p = filepath.Join(base, p)
		}
		if strings.ContainsAny(pat, "*?[") {
			matches, err := filepath.Glob(p)
			if err != nil {
				return nil, fmt.Errorf("collection %q: %w", pat, err)
			}
			slices.Sort(matches)
			n := 0
			for _, m := range matches {
				fi, err := os.Lstat(m)
				if err != nil || !fi.Mode().IsRegular() {
					continue
				}
				add(m)
				n++
			}
			if n == 0 {
				return nil, fmt.Errorf("collection %q: no file matches", pat)
			}
			continue
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return nil, fmt.Errorf("collection %q: %w", pat, err)
		}
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			return nil, fmt.Errorf("collection %q: a symbolic link; name the file it points to", pat)
		case fi.IsDir():
			found, err := walk(p)
			if err != nil {
				return nil, fmt.Errorf("collection %q: %w", pat, err)
			}
			for _, f := range found {
				add(f)
			}
		case fi.Mode().IsRegular():
			add(p)
		default:
			return nil, fmt.Errorf("collection %q: not a regular file", pat)
		}
	}
	return out, nil
}

// walk lists the .http and .rest files under dir, sorted, skipping links
// and hidden folders (.git).
func walk(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && slices.Contains(Extensions, strings.ToLower(filepath.Ext(p))) {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// WorkingFolder lists the .http and .rest files of dir itself (not its
// subfolders): the collection when nothing names one.
func WorkingFolder(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() && slices.Contains(Extensions, strings.ToLower(filepath.Ext(e.Name()))) {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out, nil
}

// Read reads and parses one file. A file that cannot be read is an error;
// what does not parse inside it is in the File's Problems.
func Read(path string) (*httpfile.File, error) {
	data, err := safefile.ReadCapped(path, MaxFile)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return httpfile.Parse(path, data), nil
}

// Load reads every file of paths. Files that cannot be read are returned
// as errors beside those that could: one bad file does not hide the rest.
func Load(paths []string) ([]*httpfile.File, []error) {
	var files []*httpfile.File
	var errs []error
	for _, p := range paths {
		f, err := Read(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		files = append(files, f)
	}
	return files, errs
}

// ErrNone is a run with no collection to run.
var ErrNone = errors.New("no .http files: name files or folders, or set collections in [settings]")
