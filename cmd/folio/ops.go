package main

import (
	"context"
	"errors"
)

// cmdBackup writes a backup archive. (Placeholder: being built.)
func cmdBackup(ctx context.Context, e *env, args []string) error { return errors.New("not built yet") }

// cmdRestore restores a backup archive. (Placeholder: being built.)
func cmdRestore(ctx context.Context, e *env, args []string) error { return errors.New("not built yet") }

// cmdDoctor checks an installation. (Placeholder: being built.)
func cmdDoctor(ctx context.Context, e *env, args []string) error { return errors.New("not built yet") }
