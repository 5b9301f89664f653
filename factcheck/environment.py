"""django-environ's Env with the two rules the settings have always had (see README, "Configuration").

- An empty value means the default: docker-compose's `${NAME:-}` and `.env` files pass empty values for "unset".
- A boolean must be a boolean word (1/0, true/false, yes/no, on/off): django-environ reads any other word as False,
  so a typo in SECURE_SSL_REDIRECT would quietly turn it off.

Every parsing error is an ImproperlyConfigured that names the variable.
"""

import environ
from django.core.exceptions import ImproperlyConfigured

BOOLEANS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


class Env(environ.Env):
    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        if default is not self.NOTSET and self.ENVIRON.get(self.prefix + var) == "":
            return default
        try:
            return super().get_value(var, cast=cast, default=default, parse_default=parse_default)
        except ValueError as error:
            raise ImproperlyConfigured(f"{var}: {error}") from None

    @classmethod
    def parse_value(cls, value, cast):
        if cast is bool and isinstance(value, str):
            try:
                return BOOLEANS[value.strip().lower()]
            except KeyError:
                raise ValueError(f"must be a boolean (1/0, true/false), not {value!r}") from None
        return super().parse_value(value, cast)
