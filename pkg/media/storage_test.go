package media

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const testSHA = "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"

func TestKeys(t *testing.T) {
	tests := []struct{ got, want string }{
		{OriginalKey(testSHA, "jpg"), "originals/ab/cd/" + testSHA + ".jpg"},
		{VariantKey(testSHA, 480, "webp"), "variants/ab/cd/" + testSHA + "-480.webp"},
		{OriginalKey("abc", "jpg"), ""},
		{OriginalKey(strings.ToUpper(testSHA), "jpg"), ""},
		{OriginalKey(testSHA, "../x"), ""},
		{VariantKey(testSHA, 0, "jpg"), ""},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%d: got %q, want %q", i, tt.got, tt.want)
		}
		if tt.want != "" {
			if err := checkKey(tt.got); err != nil {
				t.Errorf("%d: %v", i, err)
			}
		}
	}
}

func TestLocalPutOpenDeleteExists(t *testing.T) {
	ctx := context.Background()
	s := Local{Dir: filepath.Join(t.TempDir(), "media")} // created by Put
	key := OriginalKey(testSHA, "png")

	if ok, err := s.Exists(ctx, key); ok || err != nil {
		t.Fatalf("Exists before Put = %v, %v", ok, err)
	}
	if _, err := s.Open(ctx, key); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Open before Put: %v, want ErrNotFound", err)
	}
	before := time.Now().Add(-time.Second)
	if err := s.Put(ctx, key, strings.NewReader("first")); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, key, strings.NewReader("hello, world")); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Exists(ctx, key); !ok || err != nil {
		t.Fatalf("Exists after Put = %v, %v", ok, err)
	}
	f, err := s.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	size, mod := f.Stat()
	if size != 12 || mod.Before(before) {
		t.Errorf("Stat = %d, %v", size, mod)
	}
	if _, err := f.Seek(7, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(f); string(b) != "world" {
		t.Errorf("read %q after Seek", b)
	}
	f.Close()
	if ents, _ := os.ReadDir(filepath.Join(s.Dir, "originals/ab/cd")); len(ents) != 1 {
		t.Errorf("%d entries next to the key, want 1 (no temp files)", len(ents))
	}
	for range 2 { // deleting twice is fine
		if err := s.Delete(ctx, key); err != nil {
			t.Fatal(err)
		}
	}
	if ok, _ := s.Exists(ctx, key); ok {
		t.Error("Exists after Delete")
	}
	if _, err := s.Open(ctx, "originals"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Open of a directory: %v, want ErrNotFound", err)
	}
}

type brokenReader struct{ sent bool }

func (b *brokenReader) Read(p []byte) (int, error) {
	if !b.sent {
		b.sent = true
		return copy(p, "partial data"), nil
	}
	return 0, errors.New("client went away")
}

func TestLocalPutIsAtomic(t *testing.T) {
	ctx := context.Background()
	s := Local{Dir: t.TempDir()}
	key := VariantKey(testSHA, 480, "jpg")
	if err := s.Put(ctx, key, &brokenReader{}); err == nil {
		t.Fatal("Put from a failing reader succeeded")
	}
	if ok, _ := s.Exists(ctx, key); ok {
		t.Error("a failed Put left the file")
	}
	ents, _ := os.ReadDir(filepath.Join(s.Dir, filepath.Dir(key)))
	if len(ents) != 0 {
		t.Errorf("a failed Put left %v", ents)
	}
	// A failed replacement keeps the old file.
	if err := s.Put(ctx, key, strings.NewReader("old")); err != nil {
		t.Fatal(err)
	}
	s.Put(ctx, key, &brokenReader{})
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.Put(cctx, key, strings.NewReader("new")); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Put: %v", err)
	}
	f, err := s.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if b, _ := io.ReadAll(f); string(b) != "old" {
		t.Errorf("file holds %q after failed replacements", b)
	}
}

func TestLocalRefusesBadKeys(t *testing.T) {
	ctx := context.Background()
	s := Local{Dir: t.TempDir()}
	for _, key := range []string{"", "../x", "a/../../x", "/abs", `a\b`, "a//b", "a/", "./a", "a/./b", "a/..", "a\x00b", "a/.tmp-123"} {
		if err := s.Put(ctx, key, strings.NewReader("x")); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("Put(%q): %v", key, err)
		}
		if _, err := s.Open(ctx, key); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("Open(%q): %v", key, err)
		}
		if err := s.Delete(ctx, key); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("Delete(%q): %v", key, err)
		}
		if _, err := s.Exists(ctx, key); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("Exists(%q): %v", key, err)
		}
	}
	if ents, _ := os.ReadDir(s.Dir); len(ents) != 0 {
		t.Errorf("bad keys created %v", ents)
	}
}

func TestLocalDoesNotFollowSymlinksOut(t *testing.T) {
	ctx := context.Background()
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.txt")
	if err := os.WriteFile(secret, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := Local{Dir: t.TempDir()}
	if err := os.Symlink(secret, filepath.Join(s.Dir, "link.txt")); err != nil {
		t.Skip("symlinks not supported:", err)
	}
	if err := os.Symlink(outside, filepath.Join(s.Dir, "originals")); err != nil {
		t.Fatal(err)
	}

	if f, err := s.Open(ctx, "link.txt"); err == nil {
		b, _ := io.ReadAll(f)
		f.Close()
		t.Fatalf("Open followed a symlink out of Dir and read %q", b)
	}
	if ok, err := s.Exists(ctx, "link.txt"); ok || err == nil {
		t.Errorf("Exists(link) = %v, %v; want an error", ok, err)
	}
	if f, err := s.Open(ctx, "originals/secret.txt"); err == nil {
		f.Close()
		t.Fatal("Open went through a symlinked directory out of Dir")
	}
	if err := s.Put(ctx, "originals/new.txt", strings.NewReader("x")); err == nil {
		t.Error("Put wrote through a symlinked directory out of Dir")
	}
	if err := s.Put(ctx, "link.txt", strings.NewReader("overwritten")); err != nil {
		t.Fatalf("Put over a symlink: %v", err)
	}
	if b, _ := os.ReadFile(secret); !bytes.Equal(b, []byte("secret")) {
		t.Errorf("the file outside Dir was changed to %q", b)
	}
	if err := s.Delete(ctx, "originals/secret.txt"); err == nil {
		t.Error("Delete went through a symlinked directory")
	}
	if _, err := os.Stat(secret); err != nil {
		t.Errorf("the file outside Dir is gone: %v", err)
	}
	if ents, _ := os.ReadDir(outside); len(ents) != 1 {
		t.Errorf("files outside Dir: %v", ents)
	}
}
