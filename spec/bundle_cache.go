package spec

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
)

// A split spec is joined again only when one of its files changed: the
// join of DigitalOcean's 2,900 files costs half a second, and stating
// them costs a hundredth of that. The cache keeps the joined document
// and, beside it, every file the join looked at with its size and
// modification time (or that it was missing), under a name made from the
// main file's path and bytes.

// joinFormat changes whenever joinedFiles does.
const joinFormat = 1

// joinedFiles is what the cache keeps beside a joined spec.
type joinedFiles struct {
	Format int          `json:"format"`
	Files  []joinedFile `json:"files"`
	Note   string       `json:"note,omitempty"`
}

// joinedFile is one file a join read, or looked for: Size -1 when it
// was not there.
type joinedFile struct {
	Path  string `json:"path"`
	Size  int64  `json:"size"`
	MTime int64  `json:"mtime"` // Unix nanoseconds
}

// unchanged reports whether the file is as the join found it.
func (f joinedFile) unchanged() bool {
	fi, err := os.Lstat(f.Path)
	if f.Size < 0 {
		return err != nil
	}
	return err == nil && fi.Mode().IsRegular() && fi.Size() == f.Size && fi.ModTime().UnixNano() == f.MTime
}

// joinSplit replaces s.data, read from the spec file at path, by the join
// of its files when it has $refs to others: what the index, its cache key
// and the skeleton then read. A $ref not followed is noted.
func (s *Spec) joinSplit(path string, max int64) error {
	if !hasFileRefs(s.data) {
		return nil
	}
	js, note, err := s.join(path, s.data, max)
	if err != nil {
		return err
	}
	s.data, s.bundled = js, true
	if note != "" {
		s.Notes = append(s.Notes, note)
	}
	return nil
}

// join is bundle through the cache: the joined document kept from last
// time when no file it read has changed since, else joined anew and
// kept.
func (s *Spec) join(path string, data []byte, max int64) ([]byte, string, error) {
	sum := sha256.New()
	sum.Write([]byte(path))
	sum.Write([]byte{0})
	sum.Write(data)
	key := "join-" + hex.EncodeToString(sum.Sum(nil))
	var meta joinedFiles
	if json.Unmarshal(s.cache.read(key+".meta", 16<<20), &meta) == nil && meta.Format == joinFormat {
		same := true
		for _, f := range meta.Files {
			if !f.unchanged() {
				same = false
				break
			}
		}
		if same {
			// The cache is private (0700, files 0600), as the index's
			// is: what it holds is read as it was written.
			if js := s.cache.read(key+".json", max); js != nil {
				return js, meta.Note, nil
			}
		}
	}
	js, note, files, err := bundleFiles(path, data, max)
	if err != nil {
		return nil, "", err
	}
	if b, err := json.Marshal(joinedFiles{Format: joinFormat, Files: files, Note: note}); err == nil && s.cache.write(key+".json", js) == nil {
		_ = s.cache.write(key+".meta", b)
	}
	return js, note, nil
}
