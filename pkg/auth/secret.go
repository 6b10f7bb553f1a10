package auth

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// SecretFile is the name of the generated JWT secret in the data dir.
const SecretFile = "jwt_secret"

// LoadOrCreateSecret returns configured when it is not empty; otherwise the
// secret kept in dir/jwt_secret, generating it (32 random bytes, hex, file
// mode 0600) the first time.
func LoadOrCreateSecret(configured, dir string) ([]byte, error) {
	if configured != "" {
		return []byte(configured), nil
	}
	path := filepath.Join(dir, SecretFile)
	b, err := os.ReadFile(path)
	if err == nil {
		s := strings.TrimSpace(string(b))
		if len(s) < 32 {
			return nil, fmt.Errorf("%s: secret shorter than 32 characters", path)
		}
		return []byte(s), nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	s := hex.EncodeToString(raw)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	// Written whole to a file of its own, then linked into place: link
	// fails when the name exists, so of several processes starting at once
	// one wins, and the others read a complete secret, never an empty file.
	tmp, err := os.CreateTemp(dir, ".jwt_secret-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, err
	}
	if _, err := tmp.WriteString(s + "\n"); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, fs.ErrExist) {
		return LoadOrCreateSecret("", dir) // another process won the race: use its secret
	} else if err != nil {
		return nil, err
	}
	return []byte(s), nil
}
