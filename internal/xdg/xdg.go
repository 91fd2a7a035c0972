// Package xdg places keyhole's folders as the XDG Base Directory
// specification says, so that the state folder (tokens, history) and the
// cache folder (specs) are found by one rule.
package xdg

import (
	"fmt"
	"path/filepath"
	"runtime"
)

// Dir is $variable/keyhole, or <home>/<under...>/keyhole when variable is
// unset or not absolute (the specification says to ignore a relative
// one). home is $HOME, or on Windows, when HOME is unset, $windowsHome.
// getenv is os.Getenv outside tests.
func Dir(getenv func(string) string, variable, windowsHome string, under ...string) (string, error) {
	if d := getenv(variable); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "keyhole"), nil
	}
	home := getenv("HOME")
	if home == "" && runtime.GOOS == "windows" {
		home = getenv(windowsHome)
	}
	if home == "" {
		return "", fmt.Errorf("neither %s nor HOME is set", variable)
	}
	return filepath.Join(append(append([]string{home}, under...), "keyhole")...), nil
}
