import type { Messages } from './messages.js';

// French typography: a non-breaking space before ':' and inside « », a narrow one before ';'.
const NBSP = '\u00a0';
const NNBSP = '\u202f';
const quote = (s: string) => `«${NBSP}${s}${NBSP}»`;
// In the reader's time zone; one the runtime does not know falls back to the server's.
const longDate = (d: Date, timeZone?: string) => {
  try {
    return d.toLocaleDateString('fr-FR', { dateStyle: 'long', timeZone });
  } catch {
    return d.toLocaleDateString('fr-FR', { dateStyle: 'long' });
  }
};

// Reports: numbers, shares and times as French writes them (times in UTC, as the report's buckets).
const FR_NUMBER = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });
const FR_PERCENT = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 1 });
const FR_DAY = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const FR_DATE = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' });
// Hours as French typography writes them, 9 h 05 (no colon), UTC.
const two = (n: number) => String(n).padStart(2, '0');
const utcHour = (d: Date) => `${two(d.getUTCHours())}${NBSP}h`;
const utcDateTime = (d: Date) => `${FR_DATE.format(d)} à ${utcHour(d)}${NBSP}${two(d.getUTCMinutes())}`;

export const fr: Messages = {
  languageName: 'Français',
  channels: { email: 'E-mail', sms: 'SMS', postal: 'Courrier' },
  frequencies: { none: 'Sans limite', '1w': 'Au plus 1 par semaine', '2m': 'Au plus 2 par mois', '1m': 'Au plus 1 par mois' },

  invalidLink: { title: 'Lien invalide', body: 'Ce lien est invalide ou a expiré.' },

  unsubscribe: {
    title: 'Se désabonner',
    body: (topic, address) => `Vous ne recevrez plus ${quote(topic)} à l’adresse ${address}.`,
    button: 'Confirmer le désabonnement',
    doneTitle: 'C’est fait',
    doneBody: (topic) => `Vous êtes désabonné(e) de ${quote(topic)}. Aucun autre message de ce type ne vous sera envoyé.`,
  },

  confirm: {
    title: 'Confirmer votre inscription',
    body: (topic, address) => `Vous allez recevoir ${quote(topic)} à l’adresse ${address}.`,
    button: 'Je confirme',
    done: (topic) => `C’est confirmé${NBSP}: vous recevrez ${quote(topic)}.`,
    gone: 'Cette inscription n’est plus en attente.',
  },

  preferences: {
    title: 'Vos préférences',
    about: (addresses) => `Cette page concerne ${addresses}.`,
    intro: 'Choisissez ce que vous recevez, par quel canal et à quel rythme.',
    you: 'Vous',
    firstName: 'Prénom',
    lastName: 'Nom',
    language: 'Langue',
    topics: 'Ce que vous recevez',
    frequency: 'Fréquence',
    perChannel: (what, channel) => `${what} — ${channel}`,
    save: 'Enregistrer',
    pause: 'Faire une pause',
    pauseHelp: `Ne rien recevoir pendant un moment${NNBSP}; vos choix restent enregistrés.`,
    pauseFor: (days) => `${days} jours`,
    pausedUntil: (until, timeZone) => `En pause jusqu’au ${longDate(until, timeZone)}.`,
    stopAll: 'Ne plus rien recevoir',
    stopAllHelp: 'Vous serez désabonné(e) de tout, sur tous les canaux.',
    unsubscribeAll: 'Me désabonner de tout',
    data: 'Vos données',
    dataHelp: 'Téléchargez tout ce que nous savons de vous, ou demandez que tout soit effacé.',
    download: 'Télécharger mes données',
    erase: 'Demander l’effacement de mes données',
    eraseStep: {
      title: `Effacer vos données${NNBSP}?`,
      warning: 'Nous effacerons votre nom, vos adresses, vos préférences et l’historique de vos messages, et nous ne vous écrirons plus. Cela ne pourra pas être annulé.',
      delay: 'Votre demande sera traitée sous un mois.',
      confirm: 'Oui, effacer mes données',
      cancel: 'Annuler',
    },
    notices: {
      saved: 'Vos préférences sont enregistrées.',
      saved_except_name: 'Vos préférences sont enregistrées, sauf votre nom, qui contient un caractère non valide.',
      paused: `C’est noté${NBSP}: nous faisons une pause.`,
      unsubscribed_all: 'Vous êtes désabonné(e) de tout.',
      erasure_requested: `Votre demande d’effacement est enregistrée${NNBSP}; elle sera traitée sous un mois.`,
    },
    formExpired: `Le formulaire a expiré${NBSP}: rechargez la page.`,
  },

  // Word for word as sent until now (a test asserts the subject); NBSP here would be a separate change.
  confirmationEmail: {
    subject: (topic) => `Confirmez votre inscription : ${topic}`,
    body: (name, topic, url) =>
      `<p>Bonjour ${name},</p><p>Pour recevoir « ${topic} », confirmez votre inscription :</p><p><a href="${url}">Je confirme</a></p><p>Sans confirmation, nous ne vous écrirons pas.</p>`,
  },

  // Plain spaces: GSM-7 has no non-breaking space, and one would make the answer UCS-2 (70 characters a part).
  smsReplies: {
    stop: (brand) => `Vous ne recevrez plus de SMS de ${brand}.`,
    start: (brand) => `Vous recevez à nouveau les SMS de ${brand}. Répondez STOP pour ne plus en recevoir.`,
    help: (brand, contact) =>
      contact ? `${brand} - aide : ${contact}. Répondez STOP pour ne plus recevoir de SMS.` : `${brand} : répondez STOP pour ne plus recevoir de SMS.`,
  },

  unsubscribeLink: 'Se désabonner',

  charts: {
    noData: 'Pas encore de données.',
    dataTable: 'Tableau des données',
    number: (n) => FR_NUMBER.format(n),
    percent: (share) => FR_PERCENT.format(share),
    total: (name, total) => `${name}${NBSP}: ${total}`,
  },

  report: {
    title: (campaign) => `Rapport${NBSP}: ${campaign}`,
    statuses: { draft: 'Brouillon', sending: 'En cours d’envoi', sent: 'Envoyée', cancelled: 'Annulée' },
    launched: (at) => `Lancée le ${utcDateTime(at)} UTC`,
    notLaunched: 'Pas encore lancée',
    asOf: (at) => `Chiffres au ${utcDateTime(at)} UTC.`,
    sharedUntil: (at) => `Lien de partage valable jusqu’au ${utcDateTime(at)} UTC.`,
    unknownAttribute: (name) => `${quote(name)} n’est pas un attribut déclaré${NNBSP}; la répartition par attribut n’est pas affichée.`,
    funnel: {
      heading: 'Du ciblage à la conversion',
      note: `Taux${NBSP}: délivrés sur envoyés${NNBSP}; ouverts, cliqués, réponses et convertis sur délivrés. Ouverts et cliqués comptent les messages qu’une personne a ouverts ou cliqués, pas une machine (Apple Mail, antivirus…).`,
      steps: { targeted: 'Ciblés', sent: 'Envoyés', delivered: 'Délivrés', opened: 'Ouverts', clicked: 'Cliqués', replied: 'Réponses', converted: 'Convertis' },
      step: 'Étape',
      count: 'Messages',
      rate: 'Taux',
    },
    outcomes: {
      heading: 'Autres issues',
      heldBack: 'Retenus avant l’envoi (consentement, suppression, plafonds…)',
      bouncedHard: 'Rejets définitifs',
      bouncedSoft: 'Rejets temporaires',
      complained: 'Plaintes pour spam',
      unsubscribed: 'Désabonnements',
      openedByMachines: 'Ouverts par une machine',
      clickedByMachines: 'Cliqués par une machine',
      revenue: 'Chiffre d’affaires',
      what: 'Issue',
      count: 'Nombre',
    },
    series: {
      heading: 'Ouvertures et clics dans le temps',
      note: 'Chaque ouverture et chaque clic, par heure (UTC) pendant les 48 premières heures après le lancement, puis par jour.',
      truncated: 'La série s’arrête après 366 jours.',
      time: 'Période (UTC)',
      openHuman: 'Ouvertures (personnes)',
      openMachine: 'Ouvertures (machines)',
      clickHuman: 'Clics (personnes)',
      clickMachine: 'Clics (machines)',
      hour: (at) => `${FR_DAY.format(at)} ${utcHour(at)}`,
      day: (at) => FR_DAY.format(at),
    },
    links: {
      heading: 'Clics par lien',
      note: 'Tous les clics, par lien du message, les plus cliqués d’abord (les 100 premiers).',
      link: 'Lien',
      people: 'Personnes',
      machines: 'Machines',
      total: 'Total',
      none: 'Aucun clic pour l’instant.',
    },
    breakdowns: {
      heading: 'Répartitions',
      note: 'Les messages envoyés, et ceux qu’une personne a ouverts, cliqués… Taux sur les messages envoyés.',
      channel: 'Par canal',
      variant: 'Par variante de langue du modèle',
      locale: 'Par langue du contact',
      attribute: (name) => `Par ${quote(name)}`,
      keys: { channel: 'Canal', variant: 'Variante', locale: 'Langue' },
      defaultVariant: 'Par défaut',
      notSet: '(non renseigné)',
      none: 'Aucun message envoyé pour l’instant.',
      columns: {
        sent: 'Envoyés', opened: 'Ouverts', clicked: 'Cliqués', replied: 'Réponses', converted: 'Convertis', revenue: 'Chiffre d’affaires',
        unsubscribed: 'Désabonnés', openRate: 'Taux d’ouverture', clickRate: 'Taux de clic',
      },
    },
  },
};
