package curl

// The curl options Parse knows. Knowing an option means knowing
// whether it takes a value: an unknown one is reported and skipped alone,
// so its value, if it had one, would be read as a URL — which is why the
// list of ignored options is long.

// spec is one curl option.
type spec struct {
	name string // the long name, without dashes
	arg  bool   // it takes a value
}

// shortOption maps a short option letter onto its long form.
func shortOption(c byte) (spec, bool) {
	// A switch rather than a map: no package-level table to mutate.
	var long string
	switch c {
	case 'X':
		long = "request"
	case 'H':
		long = "header"
	case 'd':
		long = "data"
	case 'G':
		long = "get"
	case 'I':
		long = "head"
	case 'u':
		long = "user"
	case 'A':
		long = "user-agent"
	case 'e':
		long = "referer"
	case 'b':
		long = "cookie"
	case 'r':
		long = "range"
	case 'F':
		long = "form"
	case 'T':
		long = "upload-file"
	case 'K':
		long = "config"
	case ':':
		long = "next"
	case 'o':
		long = "output"
	case 'w':
		long = "write-out"
	case 'm':
		long = "max-time"
	case 'x':
		long = "proxy"
	case 'E':
		long = "cert"
	case 'c':
		long = "cookie-jar"
	case 'D':
		long = "dump-header"
	case 'C':
		long = "continue-at"
	case 'U':
		long = "proxy-user"
	case 'Y':
		long = "speed-limit"
	case 'y':
		long = "speed-time"
	case 'z':
		long = "time-cond"
	case 'P':
		long = "ftp-port"
	case 'Q':
		long = "quote"
	case 't':
		long = "telnet-option"
	case 'h':
		long = "help"
	case 's':
		long = "silent"
	case 'S':
		long = "show-error"
	case 'k':
		long = "insecure"
	case 'L':
		long = "location"
	case 'i':
		long = "include"
	case 'v':
		long = "verbose"
	case 'f':
		long = "fail"
	case 'g':
		long = "globoff"
	case 'N':
		long = "no-buffer"
	case '#':
		long = "progress-bar"
	case '0':
		long = "http1.0"
	case '1':
		long = "tlsv1"
	case '2':
		long = "sslv2"
	case '3':
		long = "sslv3"
	case '4':
		long = "ipv4"
	case '6':
		long = "ipv6"
	case 'q':
		long = "disable"
	case 'n':
		long = "netrc"
	case 'O':
		long = "remote-name"
	case 'J':
		long = "remote-header-name"
	case 'Z':
		long = "parallel"
	case 'R':
		long = "remote-time"
	case 'B':
		long = "use-ascii"
	case 'j':
		long = "junk-session-cookies"
	case 'l':
		long = "list-only"
	case 'a':
		long = "append"
	case 'p':
		long = "proxytunnel"
	case 'M':
		long = "manual"
	case 'V':
		long = "version"
	default:
		return spec{}, false
	}
	return longOption(long)
}

// longOption looks up a long option by name.
func longOption(name string) (spec, bool) {
	switch name {
	// Read by Parse.
	case "url", "request", "header", "data", "data-ascii", "data-binary", "data-raw",
		"data-urlencode", "json", "user", "user-agent", "referer", "cookie",
		"oauth2-bearer", "range", "url-query",
		// Refused: they read files or build bodies keyhole cannot hold.
		"form", "form-string", "upload-file", "config",
		// Ignored, with a value.
		"output", "write-out", "max-time", "connect-timeout", "retry", "retry-delay",
		"retry-max-time", "proxy", "cacert", "capath", "cert", "key", "cert-type",
		"key-type", "pass", "cookie-jar", "dump-header", "limit-rate", "max-redirs",
		"resolve", "connect-to", "interface", "dns-servers", "dns-interface",
		"dns-ipv4-addr", "dns-ipv6-addr", "trace", "trace-ascii", "stderr",
		"proxy-user", "continue-at", "speed-limit", "speed-time", "max-filesize",
		"keepalive-time", "tls-max", "ciphers", "tls13-ciphers", "curves", "local-port",
		"unix-socket", "abstract-unix-socket", "aws-sigv4", "proto", "proto-redir",
		"proto-default", "expect100-timeout", "happy-eyeballs-timeout-ms",
		"output-dir", "netrc-file", "request-target", "time-cond", "pinnedpubkey",
		"crlfile", "engine", "parallel-max", "rate", "variable", "doh-url", "noproxy",
		"preproxy", "socks4", "socks4a", "socks5", "socks5-hostname", "proxy-header",
		"proxy-cacert", "proxy-capath", "proxy-cert", "proxy-cert-type", "proxy-key",
		"proxy-key-type", "proxy-pass", "proxy-ciphers", "proxy-service-name",
		"service-name", "etag-save", "etag-compare", "hsts", "alt-svc", "ip-tos",
		"login-options", "sasl-authzid", "ftp-port", "quote", "telnet-option",
		"mail-from", "mail-rcpt", "mail-auth", "random-file", "egd-file", "krb",
		"delegation", "hostpubmd5", "hostpubsha256", "pubkey", "create-file-mode",
		"ftp-account", "ftp-alternative-to-user", "ftp-method", "ftp-ssl-ccc-mode",
		"tftp-blksize", "socks5-gssapi-service", "max-time-ms", "help",
		"trace-config", "ech", "ipfs-gateway", "keepalive-cnt", "ssl-sessions",
		"write-out-file", "proxy-tls13-ciphers", "proxy-tlsuser", "proxy-tlspassword",
		"proxy-tlsauthtype", "tlsuser", "tlspassword", "tlsauthtype", "vlan-priority":
		return spec{name: name, arg: true}, true
	// Read by Parse.
	case "get", "head", "globoff", "next",
		// Ignored, without a value.
		"silent", "show-error", "insecure", "location", "location-trusted", "include",
		"verbose", "fail", "fail-with-body", "fail-early", "compressed", "path-as-is",
		"no-buffer", "progress-bar", "http0.9", "http1.0", "http1.1", "http2",
		"http2-prior-knowledge", "http3", "http3-only", "ipv4", "ipv6", "tr-encoding",
		"no-keepalive", "keepalive", "no-progress-meter", "netrc", "netrc-optional",
		"raw", "remote-name", "remote-header-name", "remote-name-all", "parallel",
		"parallel-immediate", "digest", "ntlm", "ntlm-wb", "negotiate", "basic",
		"anyauth", "ssl", "ssl-reqd", "tlsv1", "tlsv1.0", "tlsv1.1", "tlsv1.2",
		"tlsv1.3", "sslv2", "sslv3", "create-dirs", "retry-connrefused",
		"retry-all-errors", "tcp-nodelay", "tcp-fastopen", "disable",
		"disallow-username-in-url", "proxy-insecure", "no-sessionid", "sessionid",
		"no-alpn", "no-npn", "alpn", "npn", "styled-output", "xattr",
		"suppress-connect-headers", "proxytunnel", "compressed-ssh",
		"junk-session-cookies", "use-ascii", "list-only", "append",
		"ignore-content-length", "post301", "post302", "post303", "ssl-no-revoke",
		"ssl-revoke-best-effort", "ssl-allow-beast", "false-start", "cert-status",
		"doh-insecure", "doh-cert-status", "manual", "version", "clobber",
		"remove-on-error", "skip-existing", "trace-time", "trace-ids", "ca-native",
		"proxy-ca-native", "proxy-ssl-allow-beast", "proxy-http2", "proxy-anyauth",
		"proxy-basic", "proxy-digest", "proxy-negotiate", "proxy-ntlm", "remote-time",
		"buffer", "ftp-pasv", "ftp-create-dirs", "ftp-skip-pasv-ip", "ftp-pret",
		"ftp-ssl-control", "ftp-ssl-ccc", "crlf", "metalink", "mptcp", "no-clobber",
		"haproxy-protocol", "insecure-skip", "sasl-ir", "socks5-basic",
		"socks5-gssapi", "socks5-gssapi-nec", "ssl-auto-client-cert",
		"proxy-ssl-auto-client-cert", "ssl-no-revoke-proxy", "tftp-no-options",
		"unrestricted-auth", "fail-on-empty":
		return spec{name: name}, true
	}
	return spec{}, false
}

// ignoredNote says why an ignored option matters, for the few where
// the request keyhole sends differs from curl's in a way people notice.
func ignoredNote(name string) string {
	switch name {
	case "insecure":
		return "-k ignored: keyhole checks TLS certificates (insecure = true on the provider turns that off)"
	case "location", "location-trusted":
		return "-L ignored: keyhole shows a redirect instead of following it"
	case "request-target":
		return "--request-target ignored: keyhole sends the URL's path"
	case "unix-socket", "abstract-unix-socket", "connect-to", "resolve":
		return "--" + name + " ignored: keyhole connects to the URL's host"
	case "aws-sigv4":
		return "--aws-sigv4 ignored: keyhole does not sign requests"
	case "netrc", "netrc-optional", "netrc-file":
		return "--" + name + " ignored: keyhole reads no .netrc"
	case "digest", "ntlm", "ntlm-wb", "negotiate", "anyauth":
		return "--" + name + " ignored: -u is sent as Basic authentication"
	}
	return ""
}
