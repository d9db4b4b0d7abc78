#include "texts.hpp"

namespace widget {
namespace {

constexpr Texts kFrench{
    "Ouvrir le chat",
    "Fermer le chat",
    "Discutez avec nous",
    "Nous répondons en quelques secondes",
    "Votre message",
    "Écrivez votre message…",
    "Envoyer",
    "Pour discuter avec le restaurant, confirmez votre numéro de téléphone. "
    "Nous vous envoyons un code par SMS.",
    "Numéro de téléphone",
    "06 12 34 56 78",
    "Recevoir le code",
    "Code reçu par SMS (6 chiffres)",
    "Vérifier",
    "Changer de numéro",
    "Renvoyer le code",
    "Connexion…",
    "Reconnexion…",
    "Connexion perdue. Votre message est gardé, nouvel essai automatique.",
    "1 message non lu",
    "%d messages non lus",
    "La conversation avait expiré : une nouvelle a commencé.",
    "Redemander",
    "Questions suggérées",
    "Effacer la conversation",
    "Effacer cette conversation ? Vos messages seront supprimés du restaurant et de ce navigateur.",
    "Effacer",
    "Annuler",
    "Vous : ",
    "Restaurant : ",
};

constexpr Texts kEnglish{
    "Open chat",
    "Close chat",
    "Chat with us",
    "We reply in seconds",
    "Your message",
    "Write your message…",
    "Send",
    "To chat with the restaurant, please confirm your phone number. "
    "We will text you a code.",
    "Phone number",
    "07700 900123",
    "Get the code",
    "Code from the text message (6 digits)",
    "Verify",
    "Change number",
    "Send a new code",
    "Connecting…",
    "Reconnecting…",
    "Connection lost. Your message is kept and will be sent when we are back.",
    "1 unread message",
    "%d unread messages",
    "The conversation had expired: a new one has started.",
    "Ask again",
    "Suggested questions",
    "Erase this conversation",
    "Erase this conversation? Your messages will be deleted from the restaurant and from this browser.",
    "Erase",
    "Cancel",
    "You: ",
    "Restaurant: ",
};

std::string replace_count(const char* pattern, int n) {
  std::string out = pattern;
  auto at = out.find("%d");
  if (at != std::string::npos) {
    out.replace(at, 2, std::to_string(n));
  }
  return out;
}

std::string plural(Lang lang, int n, const char* fr_one, const char* fr_many, const char* en_one,
                   const char* en_many) {
  bool fr = lang == Lang::fr;
  return replace_count(n == 1 ? (fr ? fr_one : en_one) : (fr ? fr_many : en_many), n);
}

const char* base_error_text(Lang lang, chat::ErrorCode code) {
  using chat::ErrorCode;
  bool fr = lang == Lang::fr;
  switch (code) {
    case ErrorCode::chat_disabled:
    case ErrorCode::chat_unavailable:
    case ErrorCode::restaurant_not_found:
      return fr ? "Le chat n'est pas disponible pour le moment. Vous pouvez appeler le restaurant."
                : "Chat is not available right now. You can call the restaurant.";
    case ErrorCode::origin_not_allowed:
      return fr ? "Le chat de ce restaurant n'est pas disponible sur ce site."
                : "This restaurant's chat is not available on this site.";
    case ErrorCode::phone_verification_required:
      return fr ? "Confirmez d'abord votre numéro de téléphone."
                : "Please confirm your phone number first.";
    case ErrorCode::session_not_found:
      return fr ? "La conversation a expiré." : "The conversation has expired.";
    case ErrorCode::already_verified:
      return fr ? "Votre numéro est déjà confirmé." : "Your number is already confirmed.";
    case ErrorCode::code_expired:
      return fr ? "Ce code a expiré. Demandez-en un nouveau."
                : "This code has expired. Ask for a new one.";
    case ErrorCode::invalid_code:
      return fr ? "Ce code n'est pas le bon." : "That code is not right.";
    case ErrorCode::no_code_pending:
      return fr ? "Demandez d'abord un code." : "Ask for a code first.";
    case ErrorCode::payload_too_large:
    case ErrorCode::message_too_long:
      return fr ? "Votre message est trop long (2000 caractères au plus)."
                : "Your message is too long (2,000 characters at most).";
    case ErrorCode::message_empty:
      return fr ? "Votre message est vide." : "Your message is empty.";
    case ErrorCode::invalid_utf8:
      return fr ? "Votre message contient des caractères illisibles."
                : "Your message contains unreadable characters.";
    case ErrorCode::invalid_phone:
      return fr ? "Ce numéro de téléphone ne semble pas valide."
                : "This phone number does not look valid.";
    case ErrorCode::reply_in_progress:
      return fr ? "Un instant : la réponse précédente arrive."
                : "One moment: the previous reply is on its way.";
    case ErrorCode::rate_limited:
      return fr ? "Vous écrivez un peu vite." : "You are writing a bit fast.";
    case ErrorCode::too_many_attempts:
      return fr ? "Trop d'essais." : "Too many attempts.";
    case ErrorCode::model_error:
      return fr ? "Désolé, la réponse n'a pas pu être écrite. Réessayez dans un instant."
                : "Sorry, the reply could not be written. Please try again in a moment.";
    case ErrorCode::reply_interrupted:
      return fr ? "La réponse a été interrompue." : "The reply was cut off.";
    case ErrorCode::model_unavailable:
      return fr ? "Désolé, l'assistant n'est pas disponible pour le moment. Réessayez dans un instant."
                : "Sorry, the assistant is not available right now. Please try again in a moment.";
    case ErrorCode::server_busy:
    case ErrorCode::server_stopping:
    case ErrorCode::database_unavailable:
    case ErrorCode::upstream_error:
    case ErrorCode::upstream_timeout:
    case ErrorCode::internal_error:
      return fr ? "Le service rencontre un problème. Réessayez dans un instant."
                : "The service has a problem. Please try again in a moment.";
    default:
      return fr ? "Une erreur est survenue. Réessayez." : "Something went wrong. Please try again.";
  }
}

}  // namespace

Lang lang_from_tag(std::string_view tag) noexcept {
  if (tag.size() >= 2 && (tag[0] == 'e' || tag[0] == 'E') && (tag[1] == 'n' || tag[1] == 'N') &&
      (tag.size() == 2 || tag[2] == '-' || tag[2] == '_')) {
    return Lang::en;
  }
  return Lang::fr;
}

std::string_view to_string(Lang lang) noexcept { return lang == Lang::en ? "en" : "fr"; }

const Texts& texts(Lang lang) noexcept { return lang == Lang::en ? kEnglish : kFrench; }

std::string code_sent_text(Lang lang, std::string_view masked_phone) {
  std::string out = lang == Lang::fr ? "Code envoyé au " : "Code sent to ";
  out += masked_phone;
  out += '.';
  return out;
}

std::string unread_text(Lang lang, int count) {
  if (count <= 0) {
    return {};
  }
  const Texts& t = texts(lang);
  return count == 1 ? std::string(t.unread_one) : replace_count(t.unread_many, count);
}

std::string error_text(Lang lang, const chat::Error& error) {
  std::string out = base_error_text(lang, error.code);
  if (error.attempts_left) {
    int n = *error.attempts_left;
    out += ' ';
    out += n <= 0 ? (lang == Lang::fr ? std::string("Plus aucun essai : demandez un nouveau code.")
                                      : std::string("No attempts left: ask for a new code."))
                  : plural(lang, n, "Il vous reste 1 essai.", "Il vous reste %d essais.",
                           "1 attempt left.", "%d attempts left.");
  }
  if (error.retry_after && *error.retry_after > 0) {
    int s = *error.retry_after;
    out += ' ';
    if (s >= 120) {
      int m = (s + 59) / 60;
      out += plural(lang, m, "Réessayez dans 1 minute.", "Réessayez dans %d minutes.",
                    "Try again in 1 minute.", "Try again in %d minutes.");
    } else {
      out += plural(lang, s, "Réessayez dans 1 seconde.", "Réessayez dans %d secondes.",
                    "Try again in 1 second.", "Try again in %d seconds.");
    }
  }
  return out;
}

}  // namespace widget
