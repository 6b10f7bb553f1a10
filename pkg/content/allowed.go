package content

import (
	"slices"

	"github.com/folio-cms/folio/pkg/auth"
)

// The actions on an entry that are not workflow transitions, as
// AllowedActions names them.
const (
	ActionUpdate  Action = "update"  // change its fields (PUT, PATCH, restore a revision)
	ActionDelete  Action = "delete"  // move it to the trash
	ActionRestore Action = "restore" // bring it back from the trash
	ActionPurge   Action = "purge"   // delete it for good
	// ActionDiscard drops a live entry's unpublished changes (Discard).
	ActionDiscard Action = "discard"
)

// EntryActions lists every action AllowedActions may name, in the order
// it names them (the order of an editor's toolbar).
var EntryActions = append([]Action{ActionUpdate}, append(slices.Clone(Actions), ActionDiscard, ActionDelete, ActionRestore, ActionPurge)...)

// AllowedActions lists what actor may do to e now: each action whose
// permission the one check (auth.Allowed) grants actor on e, and that e's
// state admits: workflow transitions from its status, nothing but restore
// and purge in the trash. It asks exactly what the service methods ask, so
// a listed action passes their checks and an unlisted one is refused (a
// Forbidden, or a Conflict for a state it cannot start from).
func AllowedActions(actor auth.Principal, e Entry) []Action {
	k, ok := specs[e.Type]
	if !ok {
		return []Action{}
	}
	rec := recordOf(e)
	may := func(p auth.Permission) bool { return auth.Allowed(actor, p, rec) }
	out := []Action{}
	if e.TrashedAt != nil {
		if may(k.Perms.Delete) {
			out = append(out, ActionRestore)
		}
		if auth.Allowed(actor, auth.PermContentPurge, auth.Record{}) {
			out = append(out, ActionPurge)
		}
		return out
	}
	if may(k.Perms.Update) {
		out = append(out, ActionUpdate)
	}
	for _, a := range Actions {
		tr := transitions[a]
		from := slices.Contains(tr.from, e.Status)
		if a == ActionPublish && e.HasUnpublishedChanges {
			from = true // a live entry with changes: publishing them
		}
		if from && may(tr.perm(k.Perms)) {
			out = append(out, a)
		}
	}
	if e.HasUnpublishedChanges && may(k.Perms.Publish) {
		out = append(out, ActionDiscard)
	}
	if may(k.Perms.Delete) {
		out = append(out, ActionDelete)
	}
	if auth.Allowed(actor, auth.PermContentPurge, auth.Record{}) {
		out = append(out, ActionPurge)
	}
	return out
}

// recordOf is what the permission check knows of e: the same as
// entryRecord knows of its row.
func recordOf(e Entry) auth.Record {
	rec := auth.Record{Closed: !slices.Contains(authorEditable, e.Status)}
	if e.Author != nil {
		id := e.Author.ID
		rec.Owner = &id
	}
	return rec
}
