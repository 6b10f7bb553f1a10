package auth

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"
)

//go:embed common_passwords.txt
var commonPasswordFile string

// commonPasswords is the embedded list, as a set. It is read-only data,
// built once.
var commonPasswords = func() map[string]bool {
	set := map[string]bool{}
	for _, line := range strings.Split(commonPasswordFile, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			set[line] = true
		}
	}
	return set
}()

// MinPasswordLength is the shortest password accepted, in characters.
const MinPasswordLength = 10

// keyboardRuns are sequences whose substrings make weak passwords.
var keyboardRuns = []string{
	"abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm", "qwertzuiopasdfghjklyxcvbnm",
	"azertyuiopqsdfghjklmwxcvbn", "1234567890", "0987654321", "9876543210", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
	"zaq1xsw2cde3vfr4bgt5nhy6mju7", "qazwsxedcrfvtgbyhnujmikolp", "zyxwvutsrqponmlkjihgfedcba",
}

// leet maps look-alike characters back to letters.
var leet = strings.NewReplacer("0", "o", "1", "i", "3", "e", "4", "a", "5", "s", "7", "t", "@", "a", "$", "s", "!", "i")

// CheckPasswordStrength returns why password is not acceptable, or "" when
// it is: at least 10 characters, at most 72 bytes (bcrypt's limit), not a
// common password or a common word dressed up with digits, symbols or
// look-alike characters, not a keyboard run or a repeated pattern, and not
// built from the user's email or name.
func CheckPasswordStrength(password, email, name string) string {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return "must be at least 10 characters"
	}
	if len(password) > MaxPasswordBytes {
		return "must be at most 72 bytes"
	}
	lower := strings.ToLower(password)
	if commonPasswords[lower] {
		return "is one of the most common passwords; choose another"
	}
	core := strings.TrimFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) })
	for _, c := range []string{core, leet.Replace(core), leet.Replace(lower), strings.TrimFunc(leet.Replace(lower), func(r rune) bool { return !unicode.IsLetter(r) })} {
		if commonPasswords[c] {
			return "is a common password with a few characters added; choose another"
		}
	}
	squashed := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, lower)
	if repeated(squashed) {
		return "repeats a short pattern; choose another"
	}
	for _, run := range keyboardRuns {
		if len(squashed) >= 6 && strings.Contains(run, squashed) {
			return "is a keyboard or alphabet sequence; choose another"
		}
	}
	local, _, _ := strings.Cut(strings.ToLower(email), "@")
	for _, part := range append([]string{local}, strings.Fields(strings.ToLower(name))...) {
		if len(part) >= 4 && strings.Contains(squashed, part) && len(squashed)-len(part) < 6 {
			return "must not be built from your email or name"
		}
	}
	return ""
}

// repeated reports whether s is one unit of up to 4 characters repeated
// (aaaaaaaaaa, 1212121212, abcabcabcabc).
func repeated(s string) bool {
	for n := 1; n <= 4 && n < len(s); n++ {
		if len(s)%n == 0 && strings.Repeat(s[:n], len(s)/n) == s {
			return true
		}
	}
	return false
}
