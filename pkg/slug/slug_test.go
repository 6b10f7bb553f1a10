package slug

import (
	"context"
	"strings"
	"testing"
)

func TestMake(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Héllo Wörld: Backend 101", "hello-world-backend-101"},
		{"hello_world  --x", "hello-world-x"},
		{"Ünïcödé & Co.", "unicode-and-co"},
		{"Straße", "strasse"},
		{"  Trailing -- dashes -  ", "trailing-dashes"},
		{"!!!", ""},
		{"", ""},
		{"数据库", "shu-ju-ku"},
		{strings.Repeat("word ", 40), strings.TrimSuffix(strings.Repeat("word-", 24), "-")},
	}
	for _, tt := range tests {
		got := Make(tt.in)
		if got != tt.want {
			t.Errorf("Make(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got != "" && !Valid(got) {
			t.Errorf("Make(%q) = %q, which is not a valid slug", tt.in, got)
		}
	}
}

func TestValid(t *testing.T) {
	good := []string{"a", "hello-world", "post-2", "123", strings.Repeat("a", MaxLen)}
	bad := []string{"", "-a", "a-", "a--b", "A", "hello_world", "héllo", "a b", "a/b", strings.Repeat("a", MaxLen+1)}
	for _, s := range good {
		if !Valid(s) {
			t.Errorf("Valid(%q) = false, want true", s)
		}
	}
	for _, s := range bad {
		if Valid(s) {
			t.Errorf("Valid(%q) = true, want false", s)
		}
	}
}

func TestUnique(t *testing.T) {
	used := map[string]bool{"hello": true, "hello-2": true}
	taken := func(_ context.Context, s string) (bool, error) { return used[s], nil }
	got, err := Unique(context.Background(), "hello", taken)
	if err != nil || got != "hello-3" {
		t.Fatalf("Unique(hello) = %q, %v; want hello-3", got, err)
	}
	got, _ = Unique(context.Background(), "fresh", taken)
	if got != "fresh" {
		t.Fatalf("Unique(fresh) = %q, want fresh", got)
	}
	long := strings.Repeat("abcd-", 30)[:MaxLen]
	used[long] = true
	got, _ = Unique(context.Background(), long, taken)
	if !Valid(got) || !strings.HasSuffix(got, "-2") {
		t.Fatalf("Unique(long) = %q, want a valid slug ending in -2", got)
	}
}
