package vars

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/keyhole-sh/keyhole/internal/safefile"
)

// maxDotenv bounds the .env file read: it holds a few keys, not megabytes.
const maxDotenv = 1 << 20

// dotenv is $dotenv NAME (or %VAR): NAME's value in the .env file beside
// the .http file. The value is secret: that is what .env files are for.
func (e *expander) dotenv(args []string) (Value, error) {
	name, err := e.indirectName(args)
	if err != nil {
		return Value{}, err
	}
	if e.r.Dir == "" {
		return Value{}, errors.New("no folder to read a .env file from")
	}
	path := filepath.Join(e.r.Dir, ".env")
	values, err := ReadDotenv(path)
	if err != nil {
		return Value{}, err
	}
	v, ok := values[name]
	if !ok {
		return Value{}, fmt.Errorf("%s does not set %s", path, name)
	}
	return Literal(v).AsSecret(), nil
}

// ReadDotenv reads a .env file: NAME=VALUE lines, "#" comments, an
// optional "export " before the name, values bare (a " #" starts a
// comment), 'single quoted' (as they stand) or "double quoted" (with \n,
// \t, \" and \\ escapes). A line that is none of these is skipped, as
// dotenv libraries do. Its errors name the file, never a value.
//
// The file is read as the env files are: never through a symbolic link
// (a link planted beside a collection could point $dotenv at another
// file's secrets) and only if it is a regular file (a FIFO would hang
// the run).
func ReadDotenv(path string) (map[string]string, error) {
	data, err := safefile.ReadCapped(path, maxDotenv)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no .env file in %s", filepath.Dir(path))
	}
	if err != nil {
		return nil, fmt.Errorf("reading the .env file in %s: %w", filepath.Dir(path), err)
	}
	return parseDotenv(data), nil
}

func parseDotenv(data []byte) map[string]string {
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, maxDotenv+1)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		name, value, ok := strings.Cut(line, "=")
		name = strings.TrimSpace(name)
		if !ok || !ValidName(name) {
			continue
		}
		out[name] = dotenvValue(strings.TrimSpace(value))
	}
	return out
}

// dotenvValue reads one value as it stands after the "=".
func dotenvValue(v string) string {
	if v == "" {
		return ""
	}
	switch q := v[0]; q {
	case '\'':
		if end := strings.IndexByte(v[1:], q); end >= 0 {
			return v[1 : 1+end]
		}
	case '"':
		var b strings.Builder
		for i := 1; i < len(v); i++ {
			c := v[i]
			if c == '"' {
				return b.String()
			}
			if c == '\\' && i+1 < len(v) {
				i++
				switch v[i] {
				case 'n':
					c = '\n'
				case 't':
					c = '\t'
				case 'r':
					c = '\r'
				default:
					c = v[i]
				}
			}
			b.WriteByte(c)
		}
	}
	if i := strings.Index(v, " #"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	return v
}
