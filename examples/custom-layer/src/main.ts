// Defines a layer outside the library, trains a model with it, saves the model and loads it back.
import { loadModel } from '@mnist/nn';
import { Scale } from './scale.js';
import { trainScaledClassifier } from './train.js';

const { model, x, accuracy } = await trainScaledClassifier({ seed: 7, epochs: 60 });
console.log(model.summary([-1, 2]));
console.log(`training accuracy ${(100 * accuracy).toFixed(1)}%`);
console.log(
  `learned scale: ${Array.from((model.layers[0] as Scale).scale.value.data, (v) => v.toFixed(2)).join(', ')}`,
);

const text = JSON.stringify(model.save());
const restored = loadModel(text, { layers: { [Scale.type]: Scale } });
const same = restored.predict(x).equals(model.predict(x));
console.log(`saved ${text.length} bytes; reloaded model predicts identically: ${same}`);
