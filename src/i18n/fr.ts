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
// The workspace report: days and launch times (UTC), and rates to two decimals of a percent.
const FR_SHORT_DATE = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const FR_FINE_PERCENT = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 2 });

export const fr: Messages = {
  languageName: 'Français',
  channels: { email: 'E-mail', sms: 'SMS', postal: 'Courrier', webhook: 'Nos applications', call: 'Téléphone' },
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

  couponPage: {
    title: 'Votre réponse',
    done: 'Merci ! Votre réponse est enregistrée : nous revenons vers vous très vite.',
    again: 'Merci ! Votre réponse était déjà enregistrée.',
    preferences: 'Choisir les courriers et messages que vous recevez',
  },
  unsubscribeLink: 'Se désabonner',

  letter: {
    subject: (subject) => `Objet${NBSP}: ${subject}`,
    couponTitle: 'Coupon-réponse',
    couponCode: 'Votre code',
    couponScan: (host) => `Scannez le QR code ou saisissez votre code sur ${host}`,
  },

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

  workspaceReport: {
    title: 'Rapport de l’espace de travail',
    periodDays: (first, last) => (first.getTime() === last.getTime() ? `Le ${FR_DATE.format(first)} (UTC)` : `Du ${FR_DATE.format(first)} au ${FR_DATE.format(last)} (UTC)`),
    periodTimes: (from, to) => `Du ${utcDateTime(from)} jusqu’au ${utcDateTime(to)} UTC`,
    channel: (name) => `Canal${NBSP}: ${name}`,
    allChannels: 'tous',
    invalidDate: (field, value) => `${quote(`${field}=${value}`)} n’est ni une date (2026-11-01) ni une date et heure ISO 8601 avec son décalage horaire.`,
    invalidPeriod: 'La période demandée doit finir après son début et durer au plus 366 jours.',
    defaultPeriod: (days) => `Les ${days} derniers jours sont affichés à la place.`,
    unknownChannel: (value) => `${quote(value)} n’est pas un canal d’envoi de campagnes${NNBSP}; tous les canaux sont affichés.`,
    campaigns: {
      heading: 'Les campagnes côte à côte',
      note: 'Les campagnes lancées sur la période, les plus récentes d’abord, chacune en entier (son engagement après la période compris). Ouverts et cliqués comptent les messages qu’une personne a ouverts ou cliqués, pas une machine. Taux sur les messages délivrés, taux de rejet sur les messages envoyés.',
      none: 'Aucune campagne n’a été lancée sur cette période.',
      listed: (shown, total) => `Les ${shown} plus récentes des ${total} campagnes lancées sont listées.`,
      caption: 'Campagnes lancées sur la période',
      columns: {
        campaign: 'Campagne', channel: 'Canal', launched: 'Lancée (UTC)', sent: 'Envoyés', delivered: 'Délivrés', opened: 'Ouverts', clicked: 'Cliqués',
        converted: 'Convertis', unsubscribed: 'Désabonnés', openRate: 'Taux d’ouverture', clickRate: 'Taux de clic', bounceRate: 'Taux de rejet',
      },
      launched: (at) => `${FR_SHORT_DATE.format(at)} ${utcHour(at)}${NBSP}${two(at.getUTCMinutes())}`,
      openChart: 'Taux d’ouverture par campagne e-mail (%)',
      clickChart: 'Taux de clic par campagne (%)',
      drawn: (drawn, listed) => `Les graphiques montrent les ${drawn} campagnes les plus récentes${NNBSP}; le tableau les liste toutes (${listed}).`,
      rate: 'Taux (%)',
      ofDelivered: 'Sur les messages délivrés',
      fraction: (part, whole) => `${part} sur ${whole}`,
    },
    trend: {
      heading: 'L’engagement sur la période',
      note: 'Chaque ouverture et chaque clic d’une personne, par jour (UTC), sur les messages de toute campagne du canal, y compris celles lancées avant la période.',
      chart: (channel) => `Ouvertures et clics par jour${NBSP}: ${channel}`,
      day: 'Jour (UTC)',
      opens: 'Ouvertures (personnes)',
      clicks: 'Clics (personnes)',
    },
    audience: {
      heading: 'Audience',
      note: `Les contacts enregistrés au début et à la fin de la période. Les abonnements à un sujet sur un canal, d’après les consentements${NNBSP}; le taux de désinscription est pris sur les abonnements du début de la période.`,
      contacts: 'Contacts',
      what: 'Contacts',
      count: 'Nombre',
      atStart: 'Enregistrés au début',
      atEnd: 'Enregistrés à la fin',
      created: 'Créés sur la période',
      erased: 'Effacés sur la période',
      subscriptions: 'Abonnements par canal',
      columns: { channel: 'Canal', subscribedAtStart: 'Abonnés au début', optIns: 'Inscriptions', optOuts: 'Désinscriptions', optOutRate: 'Taux de désinscription' },
    },
    pressure: {
      heading: 'Pression marketing',
      note: `Ce que les plafonds ont fait aux messages des campagnes marketing lancées sur la période${NBSP}: écartés (plafonnés) ou reportés. Le taux de plafonnement est pris sur les messages que le consentement, l’adresse et les suppressions laissaient passer.`,
      caption: 'Plafonds par canal',
      total: 'Tous les canaux',
      columns: { channel: 'Canal', targeted: 'Ciblés', capped: 'Plafonnés', deferred: 'Reportés', waiting: 'Toujours en attente', cappedRate: 'Taux de plafonnement' },
      byRule: 'Par règle',
      rule: 'Règle',
      noRule: 'Aucun plafond n’a retenu de message.',
    },
    deliverability: {
      heading: 'Délivrabilité',
      note: `Les e-mails des campagnes de la période, comme Amazon SES juge un compte${NBSP}: rejets définitifs sur messages envoyés, plaintes sur messages délivrés. SES peut examiner un compte à partir d’un taux de rejet de 5${NNBSP}% ou d’un taux de plainte de 0,1${NNBSP}%${NNBSP}; l’alerte commence à la moitié de chacun. Sur un petit volume, ces chiffres sont une alerte précoce, pas ceux de SES.`,
      emailOnly: 'La délivrabilité ne se mesure que pour l’e-mail.',
      overall: `État d’ensemble${NBSP}:`,
      caption: 'Taux et seuils',
      columns: { rate: 'Taux', value: 'Valeur', warning: 'Alerte dès', atRisk: 'À risque dès', status: 'État' },
      bounce: 'Taux de rejet (rejets définitifs / envoyés)',
      complaint: 'Taux de plainte (plaintes / délivrés)',
      statuses: { ok: 'Correct', warning: 'Alerte', at_risk: 'À risque' },
      percent: (share) => FR_FINE_PERCENT.format(share),
      counts: 'E-mails de la période',
      what: 'Messages',
      count: 'Nombre',
      sent: 'Envoyés',
      delivered: 'Délivrés',
      bouncedHard: 'Rejets définitifs',
      bouncedSoft: 'Rejets temporaires',
      rejected: 'Refusés',
      complained: 'Plaintes pour spam',
    },
  },
};
