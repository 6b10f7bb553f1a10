package auth

import "slices"

// Role is what a user may do in the admin.
type Role string

// The roles, from most to least powerful.
const (
	RoleAdmin    Role = "admin"    // everything: users, tokens, audit, settings, permanent deletes
	RoleEditor   Role = "editor"   // all posts and case studies, tags, media
	RoleMarketer Role = "marketer" // case studies; reads posts; media
	RoleAuthor   Role = "author"   // drafts own posts, cannot publish; uploads media
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleEditor, RoleMarketer, RoleAuthor}

// ParseRole returns the role named s and whether it exists.
func ParseRole(s string) (Role, bool) {
	r := Role(s)
	return r, slices.Contains(Roles, r)
}

// Permission names one thing a caller may do. Every admin route declares
// exactly one.
type Permission string

// The permissions. Content permissions exist per type so that a role can be
// given posts but not case studies, or the reverse.
const (
	PermSignedIn Permission = "signed_in" // any active user (own profile, preview)

	PermPostRead    Permission = "posts.read"
	PermPostCreate  Permission = "posts.create"
	PermPostUpdate  Permission = "posts.update"
	PermPostDelete  Permission = "posts.delete"
	PermPostSubmit  Permission = "posts.submit"
	PermPostPublish Permission = "posts.publish" // publish, unpublish, schedule, unschedule, archive

	PermCaseStudyRead    Permission = "case_studies.read"
	PermCaseStudyCreate  Permission = "case_studies.create"
	PermCaseStudyUpdate  Permission = "case_studies.update"
	PermCaseStudyDelete  Permission = "case_studies.delete"
	PermCaseStudySubmit  Permission = "case_studies.submit"
	PermCaseStudyPublish Permission = "case_studies.publish"

	PermContentPurge Permission = "content.purge" // permanent deletes
	PermTagsManage   Permission = "tags.manage"
	PermMediaRead    Permission = "media.read"
	PermMediaUpload  Permission = "media.upload"
	PermMediaUpdate  Permission = "media.update"
	PermMediaDelete  Permission = "media.delete"
	PermMediaForce   Permission = "media.force_delete"
	PermUsersManage  Permission = "users.manage"
	PermTokensManage Permission = "tokens.manage"
	PermAuditRead    Permission = "audit.read"
	PermWebhooks     Permission = "webhooks.manage"
)

// Scope says how far a permission reaches.
type Scope int

// Scopes: none, only records the caller owns, or every record.
const (
	ScopeNone Scope = iota
	ScopeOwn
	ScopeAny
)

// grants is THE permission table: for each role, what it may do and how far.
// A permission missing from a role's map is ScopeNone. README documents it.
var grants = map[Role]map[Permission]Scope{
	RoleAdmin: nil, // everything, set in init
	RoleEditor: {
		PermSignedIn: ScopeAny,
		PermPostRead: ScopeAny, PermPostCreate: ScopeAny, PermPostUpdate: ScopeAny,
		PermPostDelete: ScopeAny, PermPostSubmit: ScopeAny, PermPostPublish: ScopeAny,
		PermCaseStudyRead: ScopeAny, PermCaseStudyCreate: ScopeAny, PermCaseStudyUpdate: ScopeAny,
		PermCaseStudyDelete: ScopeAny, PermCaseStudySubmit: ScopeAny, PermCaseStudyPublish: ScopeAny,
		PermTagsManage: ScopeAny,
		PermMediaRead:  ScopeAny, PermMediaUpload: ScopeAny, PermMediaUpdate: ScopeAny, PermMediaDelete: ScopeAny,
	},
	RoleMarketer: {
		PermSignedIn:      ScopeAny,
		PermPostRead:      ScopeAny,
		PermCaseStudyRead: ScopeAny, PermCaseStudyCreate: ScopeAny, PermCaseStudyUpdate: ScopeAny,
		PermCaseStudyDelete: ScopeAny, PermCaseStudySubmit: ScopeAny, PermCaseStudyPublish: ScopeAny,
		PermMediaRead: ScopeAny, PermMediaUpload: ScopeAny, PermMediaUpdate: ScopeAny, PermMediaDelete: ScopeAny,
	},
	RoleAuthor: {
		PermSignedIn:   ScopeAny,
		PermPostRead:   ScopeAny,
		PermPostCreate: ScopeAny,
		PermPostUpdate: ScopeOwn, // and only while not published: a content rule
		PermPostDelete: ScopeOwn, // to the trash, and only while not published
		PermPostSubmit: ScopeOwn,
		PermMediaRead:  ScopeAny, PermMediaUpload: ScopeAny, PermMediaUpdate: ScopeOwn,
	},
}

// AllPermissions lists every permission.
var AllPermissions = []Permission{
	PermSignedIn,
	PermPostRead, PermPostCreate, PermPostUpdate, PermPostDelete, PermPostSubmit, PermPostPublish,
	PermCaseStudyRead, PermCaseStudyCreate, PermCaseStudyUpdate, PermCaseStudyDelete, PermCaseStudySubmit, PermCaseStudyPublish,
	PermContentPurge, PermTagsManage,
	PermMediaRead, PermMediaUpload, PermMediaUpdate, PermMediaDelete, PermMediaForce,
	PermUsersManage, PermTokensManage, PermAuditRead, PermWebhooks,
}

func init() {
	all := make(map[Permission]Scope, len(AllPermissions))
	for _, p := range AllPermissions {
		all[p] = ScopeAny
	}
	grants[RoleAdmin] = all
}

// ScopeOf returns how far role may use permission.
func ScopeOf(role Role, p Permission) Scope {
	return grants[role][p]
}

// Can reports whether role may use permission on at least its own records.
func Can(role Role, p Permission) bool {
	return ScopeOf(role, p) != ScopeNone
}
