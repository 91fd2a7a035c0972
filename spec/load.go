package spec

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/keyhole-sh/keyhole/internal/origin"
	"github.com/keyhole-sh/keyhole/internal/safefile"
)

// DefaultMaxSize is the largest spec Load reads when Options.MaxSize is
// 0: room for GitHub's dereferenced description (73 MB), not for a file
// that would take the memory of the machine.
const DefaultMaxSize = 128 << 20

// DefaultFetchTimeout bounds a spec URL's download when Options.Timeout
// is 0: GitHub's 73 MB on a slow line, not a server that never ends.
const DefaultFetchTimeout = 2 * time.Minute

// ErrUnreachable is wrapped by Load's error when a spec URL could not be
// reached and no copy of it is cached.
var ErrUnreachable = errors.New("spec unreachable")

// Options say where a spec may come from and how.
type Options struct {
	// Client fetches a spec URL: the provider's, built by
	// providers.HTTPClient, with its TLS settings, and never following
	// a redirect. Nil refuses URLs.
	Client *http.Client
	// TokenOrigin is the provider's base_url: a spec URL on its origin
	// (scheme, host and port) is sent with the token, through
	// Authorize; any other is sent without.
	TokenOrigin string
	// Authorize puts the provider's token on a request. Load calls it
	// only for a URL on TokenOrigin, so a public spec elsewhere never
	// costs a sign-in nor sees the token.
	Authorize func(*http.Request) error
	// Resolve is the config's rule for a relative path
	// (config.Provider.FilePath); nil takes a path as it is.
	Resolve func(string) (string, error)
	// CacheDir is keyhole's cache folder (CacheDir); "" caches nothing.
	CacheDir string
	// MaxSize is the largest spec read, in bytes; 0 is DefaultMaxSize.
	MaxSize int64
	// Timeout bounds a spec URL's download, headers and body: a server
	// that sends a few bytes now and then holds no one for ever. 0 is
	// DefaultFetchTimeout.
	Timeout time.Duration
	// CacheOnly reads a spec URL from the cache and never from the
	// network (shell completion), and writes nothing there: a URL not
	// cached is an error. A file is read as always.
	CacheOnly bool
}

// Spec is a loaded spec: its index, and its bytes for what the index does
// not hold (Skeleton).
type Spec struct {
	// Source is the file or URL as the config wrote it.
	Source string
	// Location is where it was read from: the file's path, the config's
	// path rule applied, or the URL. Errors name it.
	Location string
	// Index lists the operations.
	Index *Index
	// Notes say what the caller should tell the person: that an
	// unreachable URL was replaced by its cached copy.
	Notes []string
	// Downloaded, Revalidated and IndexCached say what the load did:
	// fetched new bytes, was told by a conditional GET that the cached
	// ones still hold, and read the index from the cache rather than
	// parsing the spec.
	Downloaded, Revalidated, IndexCached bool

	data    []byte // the spec as read
	yaml    bool   // data is YAML, converted to JSON for the index
	bundled bool   // data is a split spec's files joined (bundle), as JSON
	hash    string // of data
	cache   *cache

	once   sync.Once
	parsed *doc       // the JSON form, parsed on the first Skeleton
	mu     sync.Mutex // over parsed's $ref lookups, which fill its maps
}

// IsURL reports whether ref names an http(s) URL rather than a file.
func IsURL(ref string) bool {
	l := strings.ToLower(ref)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// Load reads the spec that ref names (a file, or an http(s) URL), and its
// index: from the cache when these bytes were indexed before, else by one
// pass over them, which is then cached.
func Load(ctx context.Context, ref string, o Options) (*Spec, error) {
	if o.MaxSize <= 0 {
		o.MaxSize = DefaultMaxSize
	}
	c, err := openCache(o.CacheDir, o.CacheOnly)
	if err != nil {
		return nil, err
	}
	s := &Spec{Source: ref, Location: ref, cache: c}
	if IsURL(ref) {
		err = s.fetch(ctx, ref, o)
	} else {
		err = s.readFile(ref, o)
	}
	if err != nil {
		return nil, err
	}
	if err := s.index(); err != nil {
		return nil, err
	}
	return s, nil
}

// Parse reads a spec held in memory (the built-in demo's, say): JSON or
// YAML, indexed, nothing cached. name is used in errors.
func Parse(name string, data []byte) (*Spec, error) {
	s := &Spec{Source: name, Location: name, data: data, cache: &cache{}}
	if err := s.index(); err != nil {
		return nil, err
	}
	return s, nil
}

// index fills s.Index: from the cache when these bytes were indexed
// before, else by one pass over them (after converting YAML), kept in the
// cache for next time.
func (s *Spec) index() error {
	s.hash = hashChunked(s.data)
	s.yaml = isYAML(s.data)
	if ix := s.cachedIndex(); ix != nil {
		s.Index, s.IndexCached = ix, true
		return nil
	}
	js := s.data
	if s.yaml {
		var err error
		if js, err = YAMLToJSON(s.Location, s.data); err != nil {
			return err
		}
		_ = s.cache.write("json-"+s.hash+".json", js)
	}
	ix, err := buildIndex(s.Location, js, !s.yaml && !s.bundled)
	if err != nil {
		return err
	}
	s.Index = ix
	s.keepIndex()
	return nil
}

// hashChunked is the hex SHA-256 of data, fed a megabyte at a time. The
// hash's assembly cannot be preempted, and one call over a 73 MB spec kept
// the garbage collector — and with it every other goroutine, the TUI's
// keys among them — waiting for it to end.
func hashChunked(data []byte) string {
	h := sha256.New()
	for len(data) > 0 {
		n := min(len(data), 1<<20)
		h.Write(data[:n])
		data = data[n:]
	}
	return hex.EncodeToString(h.Sum(nil))
}

// readFile reads a spec file: no symbolic link followed, only a regular
// file, no larger than the limit.
func (s *Spec) readFile(ref string, o Options) error {
	path := ref
	if o.Resolve != nil {
		var err error
		if path, err = o.Resolve(ref); err != nil {
			return &Error{File: ref, Reason: err.Error()}
		}
	}
	f, err := safefile.Open(path, os.O_RDONLY, 0)
	if err != nil {
		return &Error{File: path, Reason: "cannot read the spec: " + strings.TrimPrefix(err.Error(), path+": ")}
	}
	defer f.Close()
	// The buffer is sized from the file's size, read once: io.ReadAll
	// alone grows it by doubling, and on a 13 MB spec that copying and
	// zeroing was most of a cached start's time.
	var data []byte
	if fi, err := f.Stat(); err == nil {
		if fi.Size() > o.MaxSize {
			return &Error{File: path, Reason: sizeReason(fi.Size(), o.MaxSize)}
		}
		data = make([]byte, 0, fi.Size()+1)
	}
	data, err = readAllInto(data, io.LimitReader(f, o.MaxSize+1))
	if err != nil {
		return &Error{File: path, Reason: "cannot read the spec: " + err.Error()}
	}
	if int64(len(data)) > o.MaxSize {
		return &Error{File: path, Reason: sizeReason(int64(len(data)), o.MaxSize)}
	}
	s.data, s.Location = data, path
	return s.joinSplit(path, o.MaxSize)
}

// readAllInto is io.ReadAll into buf's spare capacity: a file that did
// not change size since its Stat is read with no copy; one that grew
// still reads whole, the buffer growing as io.ReadAll's would.
func readAllInto(buf []byte, r io.Reader) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

func sizeReason(size, max int64) string {
	if size > max {
		return fmt.Sprintf("the spec is larger than the %s limit (at least %s)", mb(max), mb(size))
	}
	return fmt.Sprintf("the spec is larger than the %s limit", mb(max))
}

func mb(n int64) string { return fmt.Sprintf("%d MB", (n+(1<<20)-1)>>20) }

// fetched is what the cache keeps beside a downloaded spec: its
// validators, for a conditional GET next time.
type fetched struct {
	URL          string    `json:"url"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	Fetched      time.Time `json:"fetched"`
}

// fetch gets a spec URL, conditionally when a copy is cached, and falls
// back to that copy when the server cannot be reached or fails.
func (s *Spec) fetch(ctx context.Context, ref string, o Options) error {
	u, err := url.Parse(ref)
	if err != nil || u.Host == "" {
		return &Error{File: ref, Reason: "not a valid URL"}
	}
	key := urlKey(ref)
	var meta fetched
	cached := s.cache.read("url-"+key+".spec", o.MaxSize)
	if cached != nil {
		if json.Unmarshal(s.cache.read("url-"+key+".meta", 1<<16), &meta) != nil || meta.URL != ref {
			cached, meta = nil, fetched{}
		}
	}
	if o.CacheOnly {
		if cached == nil {
			return &Error{File: ref, Reason: "not cached"}
		}
		s.data = cached
		return nil
	}
	if o.Client == nil {
		return &Error{File: ref, Reason: "no HTTP client to fetch the spec with"}
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = DefaultFetchTimeout
	}
	fctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(fctx, http.MethodGet, ref, nil)
	if err != nil {
		return &Error{File: ref, Reason: err.Error()}
	}
	req.Header.Set("Accept", "application/json, application/yaml;q=0.9, */*;q=0.5")
	if cached != nil {
		if meta.ETag != "" {
			req.Header.Set("If-None-Match", meta.ETag)
		}
		if meta.LastModified != "" {
			req.Header.Set("If-Modified-Since", meta.LastModified)
		}
	}
	if o.Authorize != nil && sameOrigin(ref, o.TokenOrigin) {
		if err := o.Authorize(req); err != nil {
			return fmt.Errorf("%s: the token for a spec on the API's origin: %w", ref, err)
		}
	}
	fallback := func(why string) error {
		if cached == nil {
			return &Error{File: ref, Reason: why + ", and no copy is cached"}
		}
		s.data = cached
		s.Notes = append(s.Notes, fmt.Sprintf("%s: %s; using the copy cached %s", ref, why, meta.Fetched.Local().Format("2006-01-02 15:04")))
		return nil
	}
	resp, err := o.Client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		why := "cannot be reached (" + unwrapURLError(err) + ")"
		if fctx.Err() != nil {
			why = fmt.Sprintf("no answer within %s (the timeout)", timeout)
		}
		if err := fallback(why); err != nil {
			return fmt.Errorf("%w: %w", ErrUnreachable, err)
		}
		return nil
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified && cached != nil:
		s.data, s.Revalidated = cached, true
		return nil
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		loc := resp.Header.Get("Location")
		if l, err := u.Parse(loc); err == nil && loc != "" {
			loc = l.String()
		}
		return &Error{File: ref, Reason: fmt.Sprintf("moved to %s: use that URL (keyhole follows no redirect)", loc)}
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		return fallback(fmt.Sprintf("answered %s", resp.Status))
	case resp.StatusCode != http.StatusOK:
		return &Error{File: ref, Reason: fmt.Sprintf("answered %s", resp.Status)}
	}
	if resp.ContentLength > o.MaxSize {
		return &Error{File: ref, Reason: sizeReason(resp.ContentLength, o.MaxSize)}
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, o.MaxSize+1))
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		why := "broke off while sending (" + err.Error() + ")"
		if fctx.Err() != nil {
			why = fmt.Sprintf("not sent whole within %s (the timeout)", timeout)
		}
		// Not had whole is not had: unreachable, as a server that does
		// not answer is.
		if err := fallback(why); err != nil {
			return fmt.Errorf("%w: %w", ErrUnreachable, err)
		}
		return nil
	}
	if int64(len(data)) > o.MaxSize {
		return &Error{File: ref, Reason: sizeReason(int64(len(data)), o.MaxSize)}
	}
	s.data, s.Downloaded = data, true
	meta = fetched{URL: ref, ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"), Fetched: time.Now().UTC()}
	if mb, err := json.Marshal(meta); err == nil && s.cache.write("url-"+key+".spec", data) == nil {
		_ = s.cache.write("url-"+key+".meta", mb)
	}
	return nil
}

// urlKey names a URL's files in the cache.
func urlKey(ref string) string {
	sum := sha256.Sum256([]byte(ref))
	return hex.EncodeToString(sum[:16])
}

// sameOrigin reports whether a and b share scheme, host and port.
func sameOrigin(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	if err1 != nil || err2 != nil || ua.Host == "" {
		return false
	}
	return origin.Same(ua, ub)
}

func unwrapURLError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// indexFormat changes whenever Index's fields do, so an index cached by
// another keyhole is not misread.
const indexFormat = 4

type cachedIndex struct {
	Format int    `json:"format"`
	Index  *Index `json:"index"`
}

func (s *Spec) cachedIndex() *Index {
	b := s.cache.read("index-"+s.hash+".json", 1<<30)
	if b == nil {
		return nil
	}
	var ci cachedIndex
	if json.Unmarshal(b, &ci) != nil || ci.Format != indexFormat || ci.Index == nil {
		return nil
	}
	return ci.Index
}

func (s *Spec) keepIndex() {
	if b, err := json.Marshal(cachedIndex{Format: indexFormat, Index: s.Index}); err == nil {
		_ = s.cache.write("index-"+s.hash+".json", b)
	}
}

// doc is the spec's JSON form parsed, for Skeleton; nil when the bytes
// cannot be had (they indexed once, so this is rare).
func (s *Spec) doc() *doc {
	s.once.Do(func() {
		js := s.data
		if s.yaml {
			if js = s.cache.read("json-"+s.hash+".json", 10*int64(len(s.data))+1<<20); js == nil {
				var err error
				if js, err = YAMLToJSON(s.Location, s.data); err != nil {
					return
				}
			}
		}
		if checkJSON(s.Location, js) != nil {
			return
		}
		s.parsed = newDoc(s.Location, js)
	})
	return s.parsed
}
