package xdg

import (
	"path/filepath"
	"testing"
)

func TestDir(t *testing.T) {
	abs := filepath.Join(t.TempDir(), "cache")
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_CACHE_HOME": abs, "HOME": "/home/u"}, filepath.Join(abs, "keyhole")},
		// The specification says to ignore a relative one.
		{map[string]string{"XDG_CACHE_HOME": "relative", "HOME": "/home/u"}, filepath.Join("/home/u", ".cache", "keyhole")},
		{map[string]string{"HOME": "/home/u"}, filepath.Join("/home/u", ".cache", "keyhole")},
	} {
		got, err := Dir(func(k string) string { return c.env[k] }, "XDG_CACHE_HOME", "LOCALAPPDATA", ".cache")
		if err != nil || got != c.want {
			t.Errorf("Dir(%v) = %q, %v; want %q", c.env, got, err, c.want)
		}
	}
	_, err := Dir(func(string) string { return "" }, "XDG_CACHE_HOME", "LOCALAPPDATA", ".cache")
	if err == nil || err.Error() != "neither XDG_CACHE_HOME nor HOME is set" {
		t.Errorf("no HOME: %v", err)
	}
}
