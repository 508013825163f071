// Drives a served skill with Bespoken's virtual-alexa, from an interaction model.
// stdin: {"model": path, "url": skill URL, "locale": "en-US", "conversations": [[utterance, ...], ...]}
// stdout: for each conversation, for each utterance: {intent, slots, speech, ended, error}
//
// Two known quirks of virtual-alexa 0.7.8 are corrected, so it judges the model and not
// itself: (1) any utterance containing "ask", "open", "tell", "launch" or "talk to"
// anywhere (even inside "basket" or "tell him") became a LaunchRequest; here only an
// utterance that starts with a launch phrase and the invocation name opens the skill,
// and what follows it is the request, as on Alexa; (2) unmatched text throws; it is
// recorded as no match (Alexa would send FallbackIntent); (3) a custom slot type
// took only its listed values, where Alexa's custom types are open: an unlisted value
// fills the slot and is sent with ER_SUCCESS_NO_MATCH. Here an unlisted value matches,
// ranked below a listed one (as an untyped match), and its resolution says no match;
// (4) a sample with two slots side by side ("do {breaths} {pace} breaths") never
// matched: its pattern gives the first slot every word and the second none. Here,
// when such a sample fails, each way of sharing the words between those slots is
// tried, and the slot types judge each share as they judge any other.
"use strict";
const va = require("virtual-alexa");
const core = require("virtual-core/lib/src/SlotTypes");
const samples = require("virtual-core/lib/src/SampleUtterances");

const listedOnly = core.SlotType.prototype.match;
core.SlotType.prototype.match = function (value) {
  const found = listedOnly.call(this, value);
  if (found.matches || this.isBuiltin() || !value || !value.trim()) return found;
  const open = new core.SlotMatch(true, value);
  open.untyped = true;
  return open;
};

const SIDE_BY_SIDE = /\}\s*\{/;
const wholeSample = samples.SamplePhrase.prototype.matchesUtterance;
samples.SamplePhrase.prototype.matchesUtterance = function (utterance) {
  const test = wholeSample.call(this, utterance);
  if (test.matches() || !SIDE_BY_SIDE.test(this.phrase)) return test;
  const clean = utterance.replace(/[!"¿?|#$%/()=+\-_<>*{}·¡[\].,;:]/g, "");
  const words = clean.trim().split(/\s+/);
  const units = this.phrase.split(/(\{[^}]+\})/).flatMap((part) =>
    part.startsWith("{") ? [null] : part.trim().split(/\s+/).filter(Boolean));
  const literals = units.filter((unit) => unit !== null);
  if (!literals.every((word) => words.some((w) => w.toLowerCase() === word.toLowerCase()))) return test;
  const slots = units.filter((unit) => unit === null).length;
  const room = words.length - literals.length;
  for (const counts of shares(slots, room)) {
    let next = 0;
    const pattern = units.map((unit) => {
      if (unit !== null) return unit;
      const n = counts[next++];
      return n === 1 ? "(\\S+)" : `(\\S+(?:\\s+\\S+){${n - 1}})`;
    }).join("\\s+");
    const phrase = Object.create(this);
    phrase.regex = () => new RegExp("^" + pattern + "$", "i");
    phrase.sharedWords = true;
    const shared = new samples.SamplePhraseTest(phrase, utterance);
    if (shared.matches()) {
      shared.samplePhrase = this;
      return shared;
    }
  }
  return test;
};

// Each way of giving `slots` slots at least one word each, `room` words in all.
function* shares(slots, room) {
  if (slots === 1) {
    if (room >= 1) yield [room];
    return;
  }
  for (let first = 1; first <= room - slots + 1; first++) {
    for (const rest of shares(slots - 1, room - first)) yield [first, ...rest];
  }
}

// The shared words carry no spaces of their own; the check that a slot's words are
// whole words (a space at one end) is already met by the pattern.
const slotCheck = samples.SamplePhraseTest.prototype.checkSlots;
samples.SamplePhraseTest.prototype.checkSlots = function (input, values) {
  const padded = this.samplePhrase.sharedWords ? values.map((v) => ` ${v} `) : values;
  return slotCheck.call(this, input, padded);
};

const LAUNCH = /^(?:alexa[, ]+)?(?:ask|tell|open|launch|start|begin|talk to|use)\s+(?:the\s+)?steady together\b[ ,]*(?:(?:to|for|about|that|if|and|whether|by)\b\s*)?(.*)$/i;

function patch(alexa) {
  alexa.parseLaunchRequest = function (utter) {
    const found = LAUNCH.exec(utter.trim());
    if (!found) return undefined;
    return found[1] && found[1].trim() ? found[1].trim() : true;
  };
}

function speechOf(response) {
  const out = response && response.response && response.response.outputSpeech;
  return out ? (out.ssml || out.text || "") : "";
}

async function run(job) {
  const results = [];
  for (const conversation of job.conversations) {
    const alexa = va.VirtualAlexa.Builder()
      .interactionModelFile(job.model)
      .skillURL(job.url)
      .locale(job.locale || "en-US")
      .create();
    patch(alexa);
    let last = null;
    alexa.filter((request) => { last = request; });
    const turns = [];
    for (const utterance of conversation) {
      last = null;
      try {
        const response = await alexa.utter(utterance);
        const request = last ? last.request : {};
        turns.push({
          intent: request.type === "IntentRequest" ? request.intent.name : request.type,
          slots: request.intent && request.intent.slots
            ? Object.fromEntries(Object.entries(request.intent.slots)
                .filter(([, s]) => s && s.value).map(([k, s]) => [k, s.value]))
            : {},
          speech: speechOf(response),
          ended: Boolean(response && response.response && response.response.shouldEndSession),
        });
      } catch (error) {
        turns.push({ intent: null, slots: {}, speech: "", ended: false, error: String(error.message || error).slice(0, 200) });
      }
    }
    results.push(turns);
  }
  return results;
}

let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  run(JSON.parse(input)).then(
    (results) => process.stdout.write(JSON.stringify(results)),
    (error) => { process.stderr.write(String(error && error.stack || error)); process.exit(1); },
  );
});
