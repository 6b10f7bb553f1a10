package auth

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSecretIsGeneratedOnceWithMode0600(t *testing.T) {
	dir := t.TempDir()
	s1, err := LoadOrCreateSecret("", dir)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, SecretFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("secret file: %v mode %v, want 0600", err, fi.Mode().Perm())
	}
	s2, _ := LoadOrCreateSecret("", dir)
	if string(s1) != string(s2) || len(s1) < 32 {
		t.Fatalf("second load gave another secret (or a short one)")
	}
	if s, _ := LoadOrCreateSecret("configured-secret-that-is-long-enough", dir); string(s) != "configured-secret-that-is-long-enough" {
		t.Fatalf("a configured secret is not used")
	}
}

func TestPasswords(t *testing.T) {
	h, err := NewHasher(10)
	if err != nil {
		t.Fatal(err)
	}
	hash, err := h.Hash("a long enough password")
	if err != nil || !strings.HasPrefix(hash, "$2a$10$") {
		t.Fatalf("hash = %q, %v; want bcrypt cost 10", hash, err)
	}
	if !h.Check(&hash, "a long enough password") || h.Check(&hash, "a long enough passworD") || h.Check(nil, "anything") {
		t.Fatal("Check gives wrong answers")
	}
	if _, err := NewHasher(4); err == nil {
		t.Fatal("a bcrypt cost below 10 was accepted")
	}
	if _, err := h.Hash(strings.Repeat("x", 73)); err == nil {
		t.Fatal("a password longer than bcrypt's 72 bytes was hashed (and would be cut)")
	}
}

func TestTokens(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	tk, err := NewTokens([]byte(strings.Repeat("k", 32)), clock)
	if err != nil {
		t.Fatal(err)
	}
	s, ttl, err := tk.Issue(42, 3, "sess")
	if err != nil || ttl != 15*time.Minute {
		t.Fatalf("Issue: %v, ttl %v", err, ttl)
	}
	c, err := tk.Verify(s)
	if id, _ := c.UserID(); err != nil || id != 42 || c.TokenVersion != 3 || c.SessionID != "sess" {
		t.Fatalf("Verify = %+v, %v", c, err)
	}
	now = now.Add(15*time.Minute + 31*time.Second)
	if _, err := tk.Verify(s); err == nil {
		t.Fatal("an expired token verified")
	}
	if _, err := NewTokens([]byte("short"), clock); err == nil {
		t.Fatal("a short secret was accepted")
	}
}

func TestNameFromEmail(t *testing.T) {
	for in, want := range map[string]string{"maya.chen@example.com": "Maya Chen", "jonas_berg@x.io": "Jonas Berg", "@x": "User"} {
		if got := NameFromEmail(in); got != want {
			t.Errorf("NameFromEmail(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidEmail(t *testing.T) {
	for _, ok := range []string{"a@example.com", "first.last+tag@sub.example.co"} {
		if !ValidEmail(ok) {
			t.Errorf("ValidEmail(%q) = false", ok)
		}
	}
	for _, bad := range []string{"", "a", "a@b", "Name <a@example.com>", "a@example.com.", "a b@example.com", strings.Repeat("a", 250) + "@example.com"} {
		if ValidEmail(bad) {
			t.Errorf("ValidEmail(%q) = true", bad)
		}
	}
}

func TestCheckPasswordStrength(t *testing.T) {
	good := []string{"correct horse battery staple", "a sturdy passphrase", "Tr0ub4dor&3xyz", "mango-river-7-quilt", "9fJ#2kLq!vZ"}
	for _, pw := range good {
		if msg := CheckPasswordStrength(pw, "maya.chen@example.com", "Maya Chen"); msg != "" {
			t.Errorf("%q refused: %s", pw, msg)
		}
	}
	bad := map[string]string{
		"short":                 "at least 10",
		"1234567890":            "common",
		"qwertyuiop":            "common",
		"Password123!":          "common",
		"P@ssw0rd2024":          "common",
		"!!Sunshine2025!!":      "common",
		"iloveyou123":           "common",
		"zzzzzzzzzzzz":          "repeats",
		"12121212121212":        "repeats",
		"abcdefghijklm":         "sequence",
		"maya.chen1234":         "email or name",
		strings.Repeat("x", 73): "72 bytes",
	}
	for pw, want := range bad {
		msg := CheckPasswordStrength(pw, "maya.chen@example.com", "Maya Chen")
		if !strings.Contains(msg, want) {
			t.Errorf("CheckPasswordStrength(%q) = %q, want it to mention %q", pw, msg, want)
		}
	}
}
