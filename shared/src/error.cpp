#include "chat/error.hpp"

#include <array>
#include <limits>
#include <utility>

#include <nlohmann/json.hpp>

#include "chat/languages.hpp"
#include "json_fields.hpp"

namespace chat {
namespace {

struct CodeInfo {
  ErrorCode code;
  std::string_view name;
  int status;
  std::string_view message;  ///< English
  std::string_view french;
  std::string_view italian;
};

// One row per code, in the enum's order: the wire name, the status and the default
// texts (English, French, Italian) live together so adding a code is one row. A
// language of chat::kLangCodes is a column here, listed in kLocalized below.
constexpr std::array<CodeInfo, 41> kCodes{{
    {ErrorCode::invalid_json, "invalid_json", 400, "The request body is not valid JSON.",
     "La requête n'est pas du JSON valide.", "La richiesta non è JSON valido."},
    {ErrorCode::invalid_request, "invalid_request", 400, "The request is not valid.",
     "La requête n'est pas valide.", "La richiesta non è valida."},
    {ErrorCode::invalid_path, "invalid_path", 400, "This path is not allowed.", "Ce chemin n'est pas autorisé.",
     "Questo percorso non è consentito."},
    {ErrorCode::unauthorized, "unauthorized", 401, "A valid bearer token is required.",
     "Un jeton d'accès valide est requis.", "È richiesto un token di accesso valido."},
    {ErrorCode::stream_ticket_expired, "stream_ticket_expired", 401,
     "The stream ticket has expired; load the session for a new one.",
     "Le ticket du flux a expiré ; rechargez la conversation pour en obtenir un nouveau.",
     "Il ticket del flusso è scaduto; ricarica la conversazione per averne uno nuovo."},
    {ErrorCode::forbidden, "forbidden", 403, "This token may not use this route.",
     "Ce jeton ne donne pas accès à cette route.", "Questo token non dà accesso a questa route."},
    {ErrorCode::chat_disabled, "chat_disabled", 403, "Chat is turned off for this agent.",
     "Le chat est désactivé pour ce restaurant.", "La chat è disattivata per questo ristorante."},
    {ErrorCode::phone_verification_required, "phone_verification_required", 403,
     "Verify your phone number before sending messages.",
     "Confirmez votre numéro de téléphone avant d'envoyer des messages.",
     "Conferma il tuo numero di telefono prima di inviare messaggi."},
    {ErrorCode::origin_not_allowed, "origin_not_allowed", 403,
     "This site may not use this agent's chat (its origin is not in chatAllowedOrigins).",
     "Ce site n'est pas autorisé à utiliser le chat de ce restaurant.",
     "Questo sito non è autorizzato a usare la chat di questo ristorante."},
    {ErrorCode::not_found, "not_found", 404, "No such route.", "Cette route n'existe pas.",
     "Questa route non esiste."},
    {ErrorCode::session_not_found, "session_not_found", 404, "No such chat session.",
     "Cette conversation n'existe pas.", "Questa conversazione non esiste."},
    {ErrorCode::agent_not_found, "agent_not_found", 404, "No such agent.", "Cet agent n'existe pas.",
     "Questo agente non esiste."},
    {ErrorCode::restaurant_not_found, "restaurant_not_found", 404, "No such restaurant.",
     "Ce restaurant n'existe pas.", "Questo ristorante non esiste."},
    {ErrorCode::method_not_allowed, "method_not_allowed", 405, "This method is not allowed here.",
     "Cette méthode n'est pas autorisée ici.", "Questo metodo non è consentito qui."},
    {ErrorCode::request_timeout, "request_timeout", 408, "The request came too slowly.",
     "La requête est arrivée trop lentement.", "La richiesta è arrivata troppo lentamente."},
    {ErrorCode::already_verified, "already_verified", 409, "This session is already verified.",
     "Ce numéro est déjà confirmé.", "Questo numero è già confermato."},
    {ErrorCode::code_expired, "code_expired", 400, "The code has expired; ask for a new one.",
     "Le code a expiré ; demandez-en un nouveau.", "Il codice è scaduto; chiedine uno nuovo."},
    {ErrorCode::invalid_code, "invalid_code", 400, "The code is not correct.", "Le code n'est pas le bon.",
     "Il codice non è corretto."},
    {ErrorCode::no_code_pending, "no_code_pending", 409, "No code was sent; ask for one first.",
     "Aucun code n'a été envoyé ; demandez-en un d'abord.", "Nessun codice è stato inviato; chiedine prima uno."},
    {ErrorCode::payload_too_large, "payload_too_large", 413, "The request body is too large.",
     "La requête est trop volumineuse.", "La richiesta è troppo grande."},
    {ErrorCode::unsupported_media_type, "unsupported_media_type", 415,
     "The request body must be application/json.", "La requête doit être en application/json.",
     "La richiesta deve essere in application/json."},
    {ErrorCode::headers_too_large, "headers_too_large", 431, "The request's headers are too large.",
     "Les en-têtes de la requête sont trop volumineux.", "Le intestazioni della richiesta sono troppo grandi."},
    {ErrorCode::message_empty, "message_empty", 422, "The message is empty.", "Le message est vide.",
     "Il messaggio è vuoto."},
    {ErrorCode::message_too_long, "message_too_long", 422, "The message is longer than 2000 characters.",
     "Le message dépasse 2000 caractères.", "Il messaggio supera i 2000 caratteri."},
    {ErrorCode::invalid_utf8, "invalid_utf8", 422, "The text is not valid UTF-8.",
     "Le texte n'est pas de l'UTF-8 valide.", "Il testo non è UTF-8 valido."},
    {ErrorCode::invalid_phone, "invalid_phone", 422, "This is not a valid phone number.",
     "Ce numéro de téléphone n'est pas valide.", "Questo numero di telefono non è valido."},
    {ErrorCode::invalid_visitor_id, "invalid_visitor_id", 422, "The visitor id is not valid.",
     "L'identifiant du visiteur n'est pas valide.", "L'identificativo del visitatore non è valido."},
    {ErrorCode::reply_in_progress, "reply_in_progress", 429,
     "Please wait for the reply before sending another message.",
     "Attendez la réponse avant d'envoyer un autre message.",
     "Attendi la risposta prima di inviare un altro messaggio."},
    {ErrorCode::rate_limited, "rate_limited", 429, "Too many requests; try again later.",
     "Trop de demandes ; réessayez plus tard.", "Troppe richieste; riprova più tardi."},
    {ErrorCode::too_many_connections, "too_many_connections", 429,
     "Too many connections from your address; try again shortly.",
     "Trop de connexions depuis votre adresse ; réessayez dans un instant.",
     "Troppe connessioni dal tuo indirizzo; riprova tra un attimo."},
    {ErrorCode::too_many_attempts, "too_many_attempts", 429, "Too many attempts; try again later.",
     "Trop d'essais ; réessayez plus tard.", "Troppi tentativi; riprova più tardi."},
    {ErrorCode::internal_error, "internal_error", 500, "Something went wrong on our side.",
     "Une erreur est survenue de notre côté.", "Si è verificato un errore da parte nostra."},
    {ErrorCode::upstream_error, "upstream_error", 502, "The chat service failed to answer.",
     "Le service de chat n'a pas pu répondre.", "Il servizio di chat non è riuscito a rispondere."},
    {ErrorCode::model_error, "model_error", 502, "The assistant failed while replying.",
     "L'assistant n'a pas pu terminer sa réponse.", "L'assistente non è riuscito a completare la risposta."},
    {ErrorCode::model_unavailable, "model_unavailable", 503, "The assistant is not available right now.",
     "L'assistant n'est pas disponible pour le moment.", "L'assistente non è disponibile al momento."},
    {ErrorCode::chat_unavailable, "chat_unavailable", 503, "Chat is not available for this restaurant.",
     "Le chat n'est pas disponible pour ce restaurant.", "La chat non è disponibile per questo ristorante."},
    {ErrorCode::server_busy, "server_busy", 503, "The server is busy; try again shortly.",
     "Le serveur est occupé ; réessayez dans un instant.", "Il server è occupato; riprova tra un attimo."},
    {ErrorCode::database_unavailable, "database_unavailable", 503, "The database cannot be written.",
     "La base de données ne peut pas être écrite.", "Il database non può essere scritto."},
    {ErrorCode::reply_interrupted, "reply_interrupted", 503,
     "The reply was cut off (the server restarted); ask again.",
     "La réponse a été interrompue (le serveur a redémarré) ; redemandez.",
     "La risposta è stata interrotta (il server si è riavviato); chiedi di nuovo."},
    {ErrorCode::server_stopping, "server_stopping", 503, "The server is restarting; try again shortly.",
     "Le serveur redémarre ; réessayez dans un instant.", "Il server si sta riavviando; riprova tra un attimo."},
    {ErrorCode::upstream_timeout, "upstream_timeout", 504, "The chat service took too long to answer.",
     "Le service de chat a mis trop de temps à répondre.",
     "Il servizio di chat ha impiegato troppo tempo a rispondere."},
}};

static_assert(kCodes.size() == static_cast<std::size_t>(ErrorCode::upstream_timeout) + 1, "one row per ErrorCode");

// Each column in an array of its own, copied from kCodes at compile time: kCodes is
// never read at run time, so a program that never asks for French texts (the
// widget's module) is linked without them (-0.6 KB gzipped there).
template <class T, std::size_t... I>
constexpr std::array<T, sizeof...(I)> column(T CodeInfo::*field, std::index_sequence<I...>) {
  return {{kCodes[I].*field...}};
}
constexpr auto kRows = std::make_index_sequence<kCodes.size()>();
constexpr auto kCodeOf = column(&CodeInfo::code, kRows);
constexpr auto kNames = column(&CodeInfo::name, kRows);
constexpr auto kStatuses = column(&CodeInfo::status, kRows);
constexpr auto kEnglish = column(&CodeInfo::message, kRows);
constexpr auto kFrench = column(&CodeInfo::french, kRows);
constexpr auto kItalian = column(&CodeInfo::italian, kRows);
constexpr LangTables<std::array<std::string_view, kCodes.size()>> kLocalized(&kFrench, &kEnglish, &kItalian);

std::size_t row(ErrorCode code) noexcept {
  const auto index = static_cast<std::size_t>(code);
  // The table follows the enum's order; an out-of-range value (a cast from garbage)
  // reads as internal_error rather than past the end.
  if (index < kCodeOf.size() && kCodeOf[index] == code) return index;
  return static_cast<std::size_t>(ErrorCode::internal_error);
}

}  // namespace

std::string_view to_string(ErrorCode code) noexcept { return kNames[row(code)]; }

std::optional<ErrorCode> error_code_from_string(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return kCodeOf[i];
  }
  return std::nullopt;
}

int http_status(ErrorCode code) noexcept { return kStatuses[row(code)]; }

std::string_view default_message([[maybe_unused]] ErrorCode code) noexcept {
#ifdef CHAT_NO_ERROR_MESSAGES
  return {};  // error_message.hpp
#else
  return kEnglish[row(code)];
#endif
}

std::string_view localized_message(ErrorCode code, std::string_view lang) noexcept {
  // "fr", "fr-CA", "IT_ch"...: a language of the list; English for any other.
  const auto language = lang_of_tag(lang);
  return (language ? kLocalized[*language] : kEnglish)[row(code)];
}

void to_json(nlohmann::json& j, const Error& e) {
  nlohmann::json inner = nlohmann::json::object();
  inner["code"] = std::string(to_string(e.code));
  inner["message"] = e.message;
  if (e.attempts_left) inner["attemptsLeft"] = *e.attempts_left;
  if (e.retry_after) inner["retryAfter"] = *e.retry_after;
  j = nlohmann::json::object();
  j["error"] = std::move(inner);
}

std::string Error::body() const {
  nlohmann::json j;
  to_json(j, *this);
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

std::optional<int> int_field(const detail::json& obj, const char* key) {
  const auto it = obj.find(key);
  if (it == obj.end() || !it->is_number_integer()) return std::nullopt;
  // Stored as int64/uint64; values past int's range are not a count we sent.
  if (it->is_number_unsigned()) {
    const auto v = it->get_ref<const detail::json::number_unsigned_t&>();
    if (v > static_cast<detail::json::number_unsigned_t>(std::numeric_limits<int>::max())) return std::nullopt;
    return static_cast<int>(v);
  }
  const auto v = it->get_ref<const detail::json::number_integer_t&>();
  if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) return std::nullopt;
  return static_cast<int>(v);
}

}  // namespace

std::optional<Error> decode_error(std::string_view body) {
  const auto j = detail::parse_json(body);
  if (!j || !j->is_object()) return std::nullopt;
  const auto outer = j->find("error");
  if (outer == j->end()) return std::nullopt;
  return detail::error_from_object(*outer);
}

namespace detail {

std::optional<Error> error_from_object(const json& inner) {
  if (!inner.is_object()) return std::nullopt;
  const auto code = inner.find("code");
  if (code == inner.end() || !code->is_string()) return std::nullopt;

  Error e;
  const auto parsed = error_code_from_string(code->get_ref<const std::string&>());
  e.code = parsed.value_or(ErrorCode::internal_error);
  const auto message = inner.find("message");
  if (message != inner.end() && message->is_string()) {
    e.message = message->get_ref<const std::string&>();
  } else {
    e.message = std::string(default_message(e.code));
  }
  e.attempts_left = int_field(inner, "attemptsLeft");
  e.retry_after = int_field(inner, "retryAfter");
  return e;
}

}  // namespace detail
}  // namespace chat
