#include "texts.hpp"

// The widget's texts in Italian: one field a line, by name (texts.hpp).
namespace widget {
namespace {

constexpr Texts italian() {
  Texts t{};
  t.open_chat = "Apri la chat";
  t.close_chat = "Chiudi la chat";
  t.title = "Scrivici in chat";
  t.subtitle = "Rispondiamo in pochi secondi";
  t.input_label = "Il tuo messaggio";
  t.input_placeholder = "Scrivi il tuo messaggio…";
  t.send = "Invia";
  t.phone_intro = "Per scrivere al ristorante, conferma il tuo numero di telefono. Ti inviamo un codice via SMS.";
  t.phone_label = "Numero di telefono";
  t.phone_placeholder = "333 123 4567";
  t.phone_submit = "Ricevi il codice";
  t.code_label = "Codice ricevuto via SMS (6 cifre)";
  t.code_submit = "Verifica";
  t.change_number = "Cambia numero";
  t.resend_code = "Invia un nuovo codice";
  t.connecting = "Connessione…";
  t.reconnecting = "Riconnessione…";
  t.offline = "Connessione persa. Il tuo messaggio è salvato: lo invieremo appena possibile.";
  t.unread_one = "1 messaggio non letto";
  t.unread_many = "%d messaggi non letti";
  t.session_restarted = "La conversazione era scaduta: ne è iniziata una nuova.";
  t.ask_again = "Chiedi di nuovo";
  t.suggestions = "Domande suggerite";
  t.erase = "Cancella la conversazione";
  t.erase_question =
      "Cancellare questa conversazione? I tuoi messaggi saranno eliminati dal ristorante e da questo browser.";
  t.erase_confirm = "Cancella";
  t.erase_cancel = "Annulla";
  t.you = "Tu: ";
  t.agent = "Ristorante: ";
  t.code_sent_to = "Codice inviato al ";
  // Errors.
  t.chat_unavailable = "La chat non è disponibile al momento. Puoi chiamare il ristorante.";
  t.origin_not_allowed = "La chat di questo ristorante non è disponibile su questo sito.";
  t.phone_verification_required = "Conferma prima il tuo numero di telefono.";
  t.session_not_found = "La conversazione è scaduta.";
  t.already_verified = "Il tuo numero è già confermato.";
  t.code_expired = "Questo codice è scaduto. Chiedine uno nuovo.";
  t.invalid_code = "Il codice non è corretto.";
  t.no_code_pending = "Chiedi prima un codice.";
  t.message_too_long = "Il tuo messaggio è troppo lungo (al massimo 2000 caratteri).";
  t.message_empty = "Il tuo messaggio è vuoto.";
  t.invalid_utf8 = "Il tuo messaggio contiene caratteri illeggibili.";
  t.invalid_phone = "Questo numero di telefono non sembra valido.";
  t.reply_in_progress = "Un attimo: la risposta precedente sta arrivando.";
  t.rate_limited = "Stai scrivendo un po' troppo in fretta.";
  t.too_many_attempts = "Troppi tentativi.";
  t.model_error = "Spiacenti, non è stato possibile scrivere la risposta. Riprova tra un attimo.";
  t.reply_interrupted = "La risposta è stata interrotta.";
  t.model_unavailable = "Spiacenti, l'assistente non è disponibile al momento. Riprova tra un attimo.";
  t.service_problem = "Il servizio ha un problema. Riprova tra un attimo.";
  t.other_error = "Si è verificato un errore. Riprova.";
  // Added after an error's text.
  t.no_attempts_left = "Nessun tentativo rimasto: chiedi un nuovo codice.";
  t.attempts_left_one = "Ti resta 1 tentativo.";
  t.attempts_left_many = "Ti restano %d tentativi.";
  t.retry_minutes_one = "Riprova tra 1 minuto.";
  t.retry_minutes_many = "Riprova tra %d minuti.";
  t.retry_seconds_one = "Riprova tra 1 secondo.";
  t.retry_seconds_many = "Riprova tra %d secondi.";
  return t;
}

}  // namespace

const Texts kItalian = italian();

}  // namespace widget
