/** chart.js with only the pieces Neurograph draws (line and scatter charts). */
import {
  Chart,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  LinearScale,
  LogarithmicScale,
  Legend,
  Tooltip,
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, ScatterController, LinearScale, LogarithmicScale, Legend, Tooltip);

export { Chart };
