package cli

// sshSession reports whether keyhole runs in an SSH session with no
// display of its own: a browser opened here would open on a screen nobody
// is looking at, if at all.
func sshSession(getenv func(string) string) bool {
	if getenv("SSH_CONNECTION") == "" && getenv("SSH_TTY") == "" {
		return false
	}
	return getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == ""
}
