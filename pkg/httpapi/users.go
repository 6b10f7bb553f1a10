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
	users, total, err := a.auth.Users(c.UserContext(), c.Query("q"), q.Page, q.PerPage)
	if err != nil {
		return err
	}
	out := make([]userJSON, len(users))
	for i, u := range users {
		out[i] = userOut(u)
	}
	page := content.Page[auth.User]{Total: total, Page: q.Page, PerPage: q.PerPage}
	return c.JSON(listJSON{Data: out, Meta: pageMeta(page)})
}

func (a *api) getUser(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	u, err := a.auth.User(c.UserContext(), id)
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
	tokens, err := a.auth.APITokens(c.UserContext())
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
	t, secret, err := a.auth.CreateAPIToken(c.UserContext(), principal(c), body.Name, body.Scope)
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

func (a *api) auditLog(c *fiber.Ctx) error {
	q, err := pageQuery(c)
	if err != nil {
		return err
	}
	f := auth.AuditFilter{Page: q.Page, PerPage: q.PerPage, RecordType: c.Query("record_type")}
	for name, dst := range map[string]**int64{"user": &f.UserID, "record_id": &f.RecordID} {
		if s := c.Query(name); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n <= 0 {
				return badParam(name, "must be a positive whole number")
			}
			*dst = &n
		}
	}
	if f.RecordID != nil && f.RecordType == "" {
		return badParam("record_id", "needs record_type too")
	}
	entries, total, err := a.auth.AuditLog(c.UserContext(), f)
	if err != nil {
		return err
	}
	out := make([]auditJSON, len(entries))
	for i, e := range entries {
		out[i] = auditJSON{ID: e.ID, UserID: e.UserID, Actor: e.Actor, Action: e.Action, RecordType: e.RecordType,
			RecordID: e.RecordID, IP: e.IP, Details: e.Details, CreatedAt: e.CreatedAt.UTC()}
	}
	page := content.Page[auth.AuditEntry]{Total: total, Page: q.Page, PerPage: q.PerPage}
	return c.JSON(listJSON{Data: out, Meta: pageMeta(page)})
}
