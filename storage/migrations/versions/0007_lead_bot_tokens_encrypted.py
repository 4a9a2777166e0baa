"""lead-bot tokens encrypted at rest: tenants.lead_bot_token becomes lead_bot_token_encrypted + _digest

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 04:30:00

The token is Fernet-encrypted with TOKEN_ENCRYPTION_KEY, like calendar tokens (the first of its comma-separated
keys encrypts; agent/adapters/crypto.py decrypts with any of them). Ciphertexts differ on every write, so one
agency per bot is kept by a unique SHA-256 digest of the token instead of a unique token.

The key comes from the environment, or from .env in the working directory (where the settings read it too).
With tokens stored and no key, the migration stops and says how to make one: a token is never left in the clear.
Without stored tokens no key is needed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from cryptography.fernet import Fernet, MultiFernet

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY_HINT = (
    "set TOKEN_ENCRYPTION_KEY (in the environment or .env) and run the command again; generate a key with "
    '`uv run python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`'
)


def _cipher(count: int, action: str) -> MultiFernet:
    secret = os.environ.get("TOKEN_ENCRYPTION_KEY")
    if secret is None:
        from dotenv import dotenv_values  # the settings' own .env reader (pydantic-settings)

        secret = dotenv_values(".env").get("TOKEN_ENCRYPTION_KEY")
    keys = [part.strip() for part in (secret or "").split(",") if part.strip()]
    if not keys:
        raise RuntimeError(f"{count} agencies have a lead-bot token to {action}: {KEY_HINT}")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise RuntimeError(f"TOKEN_ENCRYPTION_KEY is not a valid Fernet key: {KEY_HINT}") from exc


def upgrade() -> None:
    op.add_column('tenants', sa.Column('lead_bot_token_encrypted', sa.LargeBinary(), nullable=True))
    op.add_column('tenants', sa.Column('lead_bot_token_digest', sa.String(length=64), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT id, lead_bot_token FROM tenants WHERE lead_bot_token IS NOT NULL")
    ).all()
    if rows:
        cipher = _cipher(len(rows), "encrypt")
        for tenant_id, token in rows:
            connection.execute(
                sa.text(
                    "UPDATE tenants SET lead_bot_token_encrypted = :sealed, lead_bot_token_digest = :digest "
                    "WHERE id = :id"
                ),
                {
                    "sealed": cipher.encrypt(token.encode()),
                    "digest": hashlib.sha256(token.encode()).hexdigest(),
                    "id": tenant_id,
                },
            )
    op.drop_constraint(op.f('uq_tenants_lead_bot_token'), 'tenants', type_='unique')
    op.drop_column('tenants', 'lead_bot_token')
    op.create_unique_constraint(
        op.f('uq_tenants_lead_bot_token_digest'), 'tenants', ['lead_bot_token_digest']
    )


def downgrade() -> None:
    op.add_column('tenants', sa.Column('lead_bot_token', sa.String(length=200), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT id, lead_bot_token_encrypted FROM tenants WHERE lead_bot_token_encrypted IS NOT NULL")
    ).all()
    if rows:
        cipher = _cipher(len(rows), "decrypt")
        for tenant_id, sealed in rows:
            connection.execute(
                sa.text("UPDATE tenants SET lead_bot_token = :token WHERE id = :id"),
                {"token": cipher.decrypt(bytes(sealed)).decode(), "id": tenant_id},
            )
    op.drop_constraint(op.f('uq_tenants_lead_bot_token_digest'), 'tenants', type_='unique')
    op.drop_column('tenants', 'lead_bot_token_digest')
    op.drop_column('tenants', 'lead_bot_token_encrypted')
    op.create_unique_constraint(op.f('uq_tenants_lead_bot_token'), 'tenants', ['lead_bot_token'])
