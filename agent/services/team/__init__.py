"""The sales team's rules, enforced in code: who may register, who decides, what a rep sees and changes.

Every admin action checks authority (`authority`, never a prompt) and lands in the audit log, refusals too.
One `TeamService` (`service`) is made of parts, each a module with one job: `registration` (a rep's own
record), `admin` (decisions about reps), `alert_chat`, `crm` (a rep's clients) and `calendar_connection`;
`tenancy` says which agency an e-mail belongs to, `inputs` reads what users type, `cards` and `errors` hold
what the parts take, hand back and raise.
"""

from agent.services.team.cards import (
    Action,
    Actor,
    Application,
    ClientBook,
    ClientKind,
    ClientLine,
    Decision,
    Recipient,
    RepCard,
    TaskLine,
    TeamMember,
)
from agent.services.team.crm import NOTE_LIMIT
from agent.services.team.errors import (
    AlreadyDecided,
    AlreadyRegistered,
    AmbiguousTenant,
    EmailRejected,
    NotAuthorized,
    NotYourClient,
    RegistrationClosed,
    RepNotFound,
    TeamError,
    TooManyRegistrations,
)
from agent.services.team.inputs import email_in, rep_email, rep_name, team_language
from agent.services.team.registration import REGISTRATIONS_PER_DAY
from agent.services.team.service import TeamService

__all__ = [
    "NOTE_LIMIT",
    "REGISTRATIONS_PER_DAY",
    "Action",
    "Actor",
    "AlreadyDecided",
    "AlreadyRegistered",
    "AmbiguousTenant",
    "Application",
    "ClientBook",
    "ClientKind",
    "ClientLine",
    "Decision",
    "EmailRejected",
    "NotAuthorized",
    "NotYourClient",
    "Recipient",
    "RegistrationClosed",
    "RepCard",
    "RepNotFound",
    "TaskLine",
    "TeamError",
    "TeamMember",
    "TeamService",
    "TooManyRegistrations",
    "email_in",
    "rep_email",
    "rep_name",
    "team_language",
]
