// The model's classes (contracts/labels.ts): legit and the two labels, in the order every table
// of the model keeps them.
import { CLASSES } from '../contracts/labels.js';

export const MODEL_LABELS = CLASSES;
export const CLASS_COUNT = MODEL_LABELS.length;
