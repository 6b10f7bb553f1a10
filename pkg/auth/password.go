package auth

import (
	"crypto/rand"
	"errors"
	"fmt"

	"golang.org/x/crypto/bcrypt"
)

// DefaultCost is the bcrypt cost for new password hashes.
const DefaultCost = 12

// MaxPasswordBytes is bcrypt's input limit; longer passwords are refused
// rather than silently cut.
const MaxPasswordBytes = 72

// Hasher hashes and checks passwords with bcrypt.
type Hasher struct {
	Cost  int    // bcrypt cost; at least bcrypt.DefaultCost (10)
	dummy []byte // a hash to compare against when the user does not exist
}

// NewHasher returns a Hasher with the given cost (DefaultCost when 0).
func NewHasher(cost int) (*Hasher, error) {
	if cost == 0 {
		cost = DefaultCost
	}
	if cost < bcrypt.DefaultCost || cost > bcrypt.MaxCost {
		return nil, fmt.Errorf("bcrypt cost %d: want %d to %d", cost, bcrypt.DefaultCost, bcrypt.MaxCost)
	}
	dummy, err := bcrypt.GenerateFromPassword([]byte(rand.Text()), cost)
	if err != nil {
		return nil, err
	}
	return &Hasher{Cost: cost, dummy: dummy}, nil
}

// Hash returns the bcrypt hash of password.
func (h *Hasher) Hash(password string) (string, error) {
	if len(password) > MaxPasswordBytes {
		return "", errors.New("password longer than 72 bytes")
	}
	b, err := bcrypt.GenerateFromPassword([]byte(password), h.Cost)
	return string(b), err
}

// Check reports whether password matches hash. With a nil hash (no such
// user, or a user without a password) it still spends the time of one
// comparison and reports false, so response times don't reveal which emails
// exist.
func (h *Hasher) Check(hash *string, password string) bool {
	if hash == nil || len(password) > MaxPasswordBytes {
		_ = bcrypt.CompareHashAndPassword(h.dummy, []byte(password[:min(len(password), MaxPasswordBytes)]))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(*hash), []byte(password)) == nil
}

// GeneratePassword returns a random password of 26 base32 characters (130 bits).
func GeneratePassword() string {
	return rand.Text()
}
