#include "texts.hpp"

// The widget's texts in French: one field a line, by name (texts.hpp).
namespace widget {
namespace {

constexpr Texts french() {
  Texts t{};
  t.open_chat = "Ouvrir le chat";
  t.close_chat = "Fermer le chat";
  t.title = "Discutez avec nous";
  t.subtitle = "Nous répondons en quelques secondes";
  t.input_label = "Votre message";
  t.input_placeholder = "Écrivez votre message…";
  t.send = "Envoyer";
  t.phone_intro =
      "Pour discuter avec le restaurant, confirmez votre numéro de téléphone. Nous vous envoyons un code par SMS.";
  t.phone_label = "Numéro de téléphone";
  t.phone_placeholder = "06 12 34 56 78";
  t.phone_submit = "Recevoir le code";
  t.code_label = "Code reçu par SMS (6 chiffres)";
  t.code_submit = "Vérifier";
  t.change_number = "Changer de numéro";
  t.resend_code = "Renvoyer le code";
  t.connecting = "Connexion…";
  t.reconnecting = "Reconnexion…";
  t.offline = "Connexion perdue. Votre message est gardé, nouvel essai automatique.";
  t.unread_one = "1 message non lu";
  t.unread_many = "%d messages non lus";
  t.session_restarted = "La conversation avait expiré : une nouvelle a commencé.";
  t.ask_again = "Redemander";
  t.suggestions = "Questions suggérées";
  t.erase = "Effacer la conversation";
  t.erase_question =
      "Effacer cette conversation ? Vos messages seront supprimés du restaurant et de ce navigateur.";
  t.erase_confirm = "Effacer";
  t.erase_cancel = "Annuler";
  t.you = "Vous : ";
  t.agent = "Restaurant : ";
  t.code_sent_to = "Code envoyé au ";
  // Errors.
  t.chat_unavailable = "Le chat n'est pas disponible pour le moment. Vous pouvez appeler le restaurant.";
  t.origin_not_allowed = "Le chat de ce restaurant n'est pas disponible sur ce site.";
  t.phone_verification_required = "Confirmez d'abord votre numéro de téléphone.";
  t.session_not_found = "La conversation a expiré.";
  t.already_verified = "Votre numéro est déjà confirmé.";
  t.code_expired = "Ce code a expiré. Demandez-en un nouveau.";
  t.invalid_code = "Ce code n'est pas le bon.";
  t.no_code_pending = "Demandez d'abord un code.";
  t.message_too_long = "Votre message est trop long (2000 caractères au plus).";
  t.message_empty = "Votre message est vide.";
  t.invalid_utf8 = "Votre message contient des caractères illisibles.";
  t.invalid_phone = "Ce numéro de téléphone ne semble pas valide.";
  t.reply_in_progress = "Un instant : la réponse précédente arrive.";
  t.rate_limited = "Vous écrivez un peu vite.";
  t.too_many_attempts = "Trop d'essais.";
  t.model_error = "Désolé, la réponse n'a pas pu être écrite. Réessayez dans un instant.";
  t.reply_interrupted = "La réponse a été interrompue.";
  t.model_unavailable = "Désolé, l'assistant n'est pas disponible pour le moment. Réessayez dans un instant.";
  t.service_problem = "Le service rencontre un problème. Réessayez dans un instant.";
  t.other_error = "Une erreur est survenue. Réessayez.";
  // Added after an error's text.
  t.no_attempts_left = "Plus aucun essai : demandez un nouveau code.";
  t.attempts_left_one = "Il vous reste 1 essai.";
  t.attempts_left_many = "Il vous reste %d essais.";
  t.retry_minutes_one = "Réessayez dans 1 minute.";
  t.retry_minutes_many = "Réessayez dans %d minutes.";
  t.retry_seconds_one = "Réessayez dans 1 seconde.";
  t.retry_seconds_many = "Réessayez dans %d secondes.";
  return t;
}

}  // namespace

const Texts kFrench = french();

}  // namespace widget
