package httpapi

import (
	"github.com/gofiber/fiber/v2"
)

func (a *api) login(c *fiber.Ctx) error {
	var body loginJSON
	if err := decodeJSON(c, &body, false); err != nil {
		return err
	}
	s, err := a.auth.Login(c.UserContext(), body.Email, body.Password)
	if err != nil {
		return err
	}
	return c.JSON(loginResponseJSON{
		AccessToken: s.AccessToken, TokenType: "Bearer", ExpiresIn: int(s.ExpiresIn.Seconds()), User: userOut(s.User),
	})
}

func (a *api) me(c *fiber.Ctx) error {
	return c.JSON(itemJSON{Data: userOut(principal(c).User)})
}
