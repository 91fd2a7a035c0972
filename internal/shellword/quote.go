package shellword

import "strings"

// Quote returns s as one POSIX shell word (sh, bash, zsh). Words made
// only of characters no shell treats specially stay bare, so the common
// case reads cleanly; anything else is single-quoted, which keeps every
// byte as it is (newlines, $, backticks, backslashes, double quotes); a
// single quote itself closes the quotes, is written escaped (\'), and the
// quotes reopen.
func Quote(s string) string {
	// A word that starts with = is a command path lookup in zsh.
	if s != "" && s[0] != '=' && strings.IndexFunc(s, func(r rune) bool { return !safe(r) }) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// safe lists the characters that need no quoting anywhere in a word.
// '=' and ':' are safe as long as the word is not the command name;
// '@' and '%' are never special in sh.
func safe(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@%+,", r)
}

// dqSafe reports whether s means the same between double quotes: it holds
// none of $ ` \ " (expansions and escapes) nor ! (history expansion in an
// interactive bash).
func dqSafe(s string) bool {
	return !strings.ContainsAny(s, "$`\\\"!")
}

// QuoteSubst writes prefix followed by the output of command as one shell
// word: "prefix$(command)" when prefix reads the same between double
// quotes, else 'prefix'"$(command)". The substitution itself stays
// between double quotes, so the output is not split or globbed.
func QuoteSubst(prefix, command string) string {
	if dqSafe(prefix) {
		return `"` + prefix + `$(` + command + `)"`
	}
	return Quote(prefix) + `"$(` + command + `)"`
}
