package httpapi

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/content"
)

func (a *api) listUsers(c *fiber.Ctx) error {
	q, err := pageQuery(c)
	if err != nil {
		return err
	}
	text, err := queryText(c, "q")
	if err != nil {
		return err
	}
	page, err := a.auth.Users(c.UserContext(), principal(c), text, q.Page, q.PerPage)
	if err != nil {
		return err
	}
	out := make([]userJSON, len(page.Items))
	for i, u := range page.Items {
		out[i] = userOut(u)
	}
	return c.JSON(listJSON{Data: out, Meta: pageMeta(page)})
}

func (a *api) getUser(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	u, err := a.auth.User(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(itemJSON{Data: userOut(u)})
}

func (a *api) createUser(c *fiber.Ctx) error {
	var body userCreateJSON
	if err := decodeJSON(c, &body, false); err != nil {
		return err
	}
	u, err := a.auth.CreateUser(c.UserContext(), principal(c), auth.NewUser{
		Email: body.Email, Name: body.Name, Role: auth.Role(body.Role), Password: body.Password, Disabled: body.Disabled,
	})
	if err != nil {
		return err
	}
	c.Location("/api/v1/admin/users/" + strconv.FormatInt(u.ID, 10))
	return c.Status(fiber.StatusCreated).JSON(itemJSON{Data: userOut(u)})
}

func (a *api) updateUser(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	var body userPatchJSON
	if err := decodeJSON(c, &body, false); err != nil {
		return err
	}
	var role *auth.Role
	if body.Role != nil {
		r := auth.Role(*body.Role)
		role = &r
	}
	u, err := a.auth.UpdateUser(c.UserContext(), principal(c), id, auth.UserPatch{
		Email: body.Email, Name: body.Name, Role: role, Disabled: body.Disabled, Password: body.Password,
	})
	if err != nil {
		return err
	}
	return c.JSON(itemJSON{Data: userOut(u)})
}

func (a *api) deleteUser(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if err := a.auth.DeleteUser(c.UserContext(), principal(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *api) listTokens(c *fiber.Ctx) error {
	tokens, err := a.auth.APITokens(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	out := make([]apiTokenJSON, len(tokens))
	for i, t := range tokens {
		out[i] = apiTokenOut(t)
	}
	return c.JSON(itemJSON{Data: out})
}

func (a *api) createToken(c *fiber.Ctx) error {
	var body apiTokenCreateJSON
	if err := decodeJSON(c, &body, false); err != nil {
		return err
	}
	t, secret, err := a.auth.CreateAPIToken(c.UserContext(), principal(c), body.Name, body.Scope, body.Format)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(itemJSON{Data: newAPITokenJSON{apiTokenJSON: apiTokenOut(t), Token: secret}})
}

func (a *api) deleteToken(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if err := a.auth.DeleteAPIToken(c.UserContext(), principal(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// auditRecordTypes are the kinds of record the audit log names: each entry
// type, and the other records admins change.
func auditRecordTypes() []string {
	out := make([]string, 0, len(content.Types)+5)
	for _, t := range content.Types {
		out = append(out, string(t))
	}
	return append(out, "user", "api_token", "media", "webhook", "revision", "site", "tag")
}

func (a *api) auditLog(c *fiber.Ctx) error {
	q, err := pageQuery(c)
	if err != nil {
		return err
	}
	f := auth.AuditFilter{Page: q.Page, PerPage: q.PerPage}
	if f.RecordType, err = queryEnum(c, "record_type", auditRecordTypes()...); err != nil {
		return err
	}
	if f.UserID, err = idQuery(c, "user"); err != nil {
		return err
	}
	if f.RecordID, err = idQuery(c, "record_id"); err != nil {
		return err
	}
	if f.RecordID != nil && f.RecordType == "" {
		return badParam("record_id", "needs record_type too")
	}
	page, err := a.auth.AuditLog(c.UserContext(), principal(c), f)
	if err != nil {
		return err
	}
	out := make([]auditJSON, len(page.Items))
	for i, e := range page.Items {
		out[i] = auditJSON{ID: e.ID, UserID: e.UserID, Actor: e.Actor, Action: e.Action, RecordType: e.RecordType,
			RecordID: e.RecordID, IP: e.IP, Details: e.Details, CreatedAt: e.CreatedAt.UTC()}
	}
	return c.JSON(listJSON{Data: out, Meta: pageMeta(page)})
}
